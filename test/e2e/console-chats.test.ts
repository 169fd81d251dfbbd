/**
 * The test console's chats (issue 15): List chats (get_chats, More chats for the next page) and a
 * chat's history (fetch_messages, Load earlier), in Chromium against a sandbox gateway whose other
 * side is played with sandbox_inject_message.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { connectedConsole, PEER, sandbox, SESSION, shows, startSession, useConsoleBrowser } from '../support/console-page';

useConsoleBrowser();

/** Written to last; its id also sorts first among chats of the same millisecond. */
const NEWEST = '6282284300001';

async function chatsConsole(): Promise<{ page: Page; bot: GatewayClient }> {
  const gateway = await sandbox({ SANDBOX_ECHO: '0' });
  const page = await connectedConsole(gateway);
  await startSession(page);
  return { page, bot: await gateway.client() };
}

const inject = (bot: GatewayClient, from: string, text: string) =>
  bot.request('sandbox_inject_message', { sessionId: SESSION, from, text });

describe('chats in the console', () => {
  it('lists the chats with their unread counts, newest first, a page at a time', async () => {
    const { page, bot } = await chatsConsole();
    for (let i = 0; i < 22; i += 1) await inject(bot, `62822843${String(10000 + i)}`, `hello ${i}`);
    await inject(bot, NEWEST, 'newest');
    await page.click('#chats-list');
    await shows(page, 'chats-result', '20 chat(s), more with More chats (chat_list)');
    const items = page.locator('[data-testid="chat-item"]');
    expect(await items.count()).toBe(20);
    expect(await items.first().getAttribute('data-chat-id')).toBe(`${NEWEST}@c.us`);
    expect(await items.first().innerText()).toContain('1 unread');
    await page.click('#chats-more');
    await shows(page, 'chats-result', '3 chat(s), the last page (chat_list)');
    expect(await items.count()).toBe(23);
    expect(await page.locator('#chats-more').isHidden()).toBe(true);
  });

  it('shows a chat’s history newest first, and loads earlier messages', async () => {
    const { page, bot } = await chatsConsole();
    for (let i = 0; i < 25; i += 1) await inject(bot, PEER, `message ${i}`);
    await page.click('#chats-list');
    await page.locator('[data-testid="chat-history"]').first().click();
    await shows(page, 'history-result', '20 message(s); Load earlier for more (chat_messages)');
    const texts = page.locator('[data-testid="history-text"]');
    expect(await texts.first().innerText()).toBe('message 24');
    await page.click('#history-earlier');
    await shows(page, 'history-result', '5 message(s), nothing older (chat_messages)');
    expect(await texts.allInnerTexts()).toEqual(Array.from({ length: 25 }, (_, i) => `message ${24 - i}`));
    expect(await page.locator('#history-earlier').isHidden()).toBe(true);
  });

  it('says why when the session was never started', async () => {
    const gateway = await sandbox({ SANDBOX_SCAN_MS: '60000' });
    const page = await connectedConsole(gateway);
    await page.fill('#session-id', SESSION);
    await page.click('#chats-list');
    expect(await shows(page, 'chats-result', 'Error')).toContain('session_not_found');
  });
});
