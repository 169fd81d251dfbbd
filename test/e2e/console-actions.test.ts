/**
 * The test console's message actions (react, edit, delete, forward, presence, typing states) and
 * the marks a listed message gets from its chat (quote, reactions, edit, deletion for everyone), in
 * Chromium against a sandbox gateway (see console.test.ts for the rest of the console). The engine
 * records what the gateway asked of it, because the sandbox shows nothing of a reaction, a forward
 * or presence; the other side of a chat is played with the sandbox's simulations (docs/sandbox.md).
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-engine';
import { TYPING_STATES } from '../../src/protocol/schemas';
import {
  connectedConsole,
  PEER,
  sandbox,
  screenshot,
  sendFromForm,
  SESSION,
  shows,
  startSession,
  useConsoleBrowser,
} from '../support/console-page';
import { RecordingEngine } from '../support/recording-engine';
import { sandboxEngine } from '../support/sandbox-gateway';

const OTHER = '6281111222333';
const UNREGISTERED = '6281234567000';
const ACCOUNT = sandboxPhoneNumber(SESSION);

useConsoleBrowser();

/** The console connected to a sandbox gateway (no echoes) whose engine records its calls, SESSION started, and a bot for the other side. */
async function actionsConsole(): Promise<{ page: Page; engine: RecordingEngine; bot: GatewayClient }> {
  let engine!: RecordingEngine;
  const gateway = await sandbox({ SANDBOX_ECHO: '0' }, { engine: (config) => (engine = new RecordingEngine(sandboxEngine(config))) });
  const page = await connectedConsole(gateway);
  await startSession(page);
  return { page, engine, bot: await gateway.client() };
}

const inject = async (bot: GatewayClient, text: string, details: { quotedMessageId?: string } = {}) =>
  (await bot.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text, ...details })).message;

const reactAs = (bot: GatewayClient, messageId: string, from: string, emoji: string) =>
  bot.request('sandbox_react', { sessionId: SESSION, messageId, from, emoji });

const incomingItem = (page: Page, messageId: string) =>
  page.locator('#incoming-list > li', { has: page.locator(`[data-testid="incoming-item"][data-message-id="${messageId}"]`) });

const sentItem = (page: Page, messageId: string) => page.locator(`[data-testid="sent-item"][data-message-id="${messageId}"]`);

/** Sends `text` from the form and resolves with the id of the sent message, once it is listed. */
async function sendText(page: Page, text: string): Promise<string> {
  await sendFromForm(page, { type: 'text', text });
  const item = page.locator('[data-testid="sent-item"]', { hasText: text });
  await item.waitFor();
  return (await item.getAttribute('data-message-id'))!;
}

/** Opens the Actions of a listed message; resolves with the item. */
async function openActions(item: Locator): Promise<Locator> {
  await item.locator('[data-testid="message-actions"] > summary').click();
  return item;
}

/** Waits until the answer under a message's actions shows `text`; resolves with all of it. */
async function answer(item: Locator, text: string): Promise<string> {
  const result = item.locator('[data-testid="action-result"]').filter({ hasText: text });
  await result.waitFor();
  return result.innerText();
}

/** The text of a mark (`edited`, `revoked`), once it shows. */
async function mark(item: Locator, testId: 'edited' | 'revoked'): Promise<string> {
  const node = item.locator(`[data-testid="${testId}"]`);
  await node.waitFor();
  return node.innerText();
}

const reactions = (item: Locator) => item.locator('[data-testid="reactions"] .reaction').allInnerTexts();

describe('test console: message actions (sandbox engine)', () => {
  it('reacts to a received message with a picked emoji, and removes the reaction', async () => {
    const { page, engine, bot } = await actionsConsole();
    const message = await inject(bot, 'react to me');
    const item = await openActions(incomingItem(page, message.id));
    await item.locator('[data-testid="react"][data-emoji="👍"]').click();
    expect(await answer(item, 'Reaction 👍')).toBe('✓ Reaction 👍 sent (reaction_sent).');
    await item.locator('[data-testid="react-remove"]').click();
    expect(await answer(item, 'removed')).toBe('✓ Reaction removed (reaction_sent).');
    expect(engine.argsOf('react')).toEqual([
      [message.id, '👍'],
      [message.id, ''],
    ]);
  });

  it('edits a sent message from its own text, and shows why an empty text is refused', async () => {
    const { page, engine, bot } = await actionsConsole();
    const messageId = await sendText(page, 'See you at noom');
    const item = await openActions(sentItem(page, messageId));
    const text = item.locator('[data-testid="edit-text"]');
    expect(await text.inputValue()).toBe('See you at noom');
    await text.fill('See you at noon');
    await item.locator('[data-testid="edit"]').click();
    expect(await answer(item, 'New text')).toBe('✓ New text sent: “See you at noon” (message_edit_sent).');
    await text.fill('');
    await text.press('Enter');
    expect(await answer(item, 'invalid_payload')).toMatch(/^✗ Error invalid_payload \(session_error\): text\b/);
    expect(engine.argsOf('edit')).toEqual([[messageId, 'See you at noon']]);

    // Someone else's message offers neither Edit nor Delete for everyone.
    const received = await openActions(incomingItem(page, (await inject(bot, 'not yours')).id));
    expect(await received.locator('[data-testid="delete-for-me"]').count()).toBe(1);
    expect(await received.locator('[data-testid="edit"], [data-testid="delete-for-everyone"]').count()).toBe(0);
  });

  it('deletes a sent message for everyone and a received one on this account; the sandbox then knows neither', async () => {
    const { page, engine, bot } = await actionsConsole();
    const sentId = await sendText(page, 'wrong chat');
    const sent = await openActions(sentItem(page, sentId));
    await sent.locator('[data-testid="delete-for-everyone"]').click();
    expect(await answer(sent, 'Deleted')).toBe('✓ Deleted for everyone (message_deleted).');
    const message = await inject(bot, 'delete me here');
    const received = await openActions(incomingItem(page, message.id));
    await received.locator('[data-testid="delete-for-me"]').click();
    expect(await answer(received, 'Deleted')).toBe('✓ Deleted on this account only (message_deleted).');
    expect(engine.argsOf('delete')).toEqual([
      [sentId, true],
      [message.id, false],
    ]);

    for (const item of [sent, received]) {
      await item.locator('[data-testid="react"][data-emoji="❤️"]').click();
      expect(await answer(item, 'message_not_found')).toMatch(/^✗ Error message_not_found \(session_error\): /);
    }
  });

  it('forwards a received message to a number, and says when the number is not on WhatsApp', async () => {
    const { page, engine, bot } = await actionsConsole();
    const message = await inject(bot, 'pass it on');
    const item = await openActions(incomingItem(page, message.id));
    const to = item.locator('[data-testid="forward-to"]');
    await to.fill(' +62 812-3456-7890 ');
    await item.locator('[data-testid="forward"]').click();
    expect(await answer(item, 'Forwarded')).toBe('✓ Forwarded to +62 812-3456-7890 (6281234567890@c.us) (message_forwarded).');
    await to.fill(UNREGISTERED);
    await to.press('Enter');
    expect(await answer(item, 'not_on_whatsapp')).toMatch(/^✗ Error not_on_whatsapp \(session_error\): /);
    expect(engine.argsOf('forward')).toEqual([[message.id, '6281234567890@c.us']]);
  });

  it('shows the account offline and online, and sends each typing state', async () => {
    const { page, engine } = await actionsConsole();
    await page.click('#presence-offline');
    expect(await shows(page, 'presence-result', 'offline')).toBe('✓ Shown offline (presence_state: unavailable).');
    await page.click('#presence-online');
    expect(await shows(page, 'presence-result', 'online')).toBe('✓ Shown online (presence_state: available).');
    expect(engine.argsOf('setPresence')).toEqual([[false], [true]]);

    expect(await page.locator('#typing-state option').allInnerTexts()).toEqual([...TYPING_STATES]);
    await page.fill('#contact-number', PEER);
    for (const state of TYPING_STATES) {
      await page.selectOption('#typing-state', state);
      await page.click('#send-typing');
      expect(await shows(page, 'typing-result', `Typing state ${state}`)).toBe(
        `✓ Typing state ${state} (isTyping ${state !== 'paused'}) in the chat with ${PEER}.`,
      );
    }
    expect(engine.argsOf('setTyping')).toEqual(TYPING_STATES.map((state) => [`${PEER}@c.us`, state]));
  });
});

describe('test console: what a chat did to a listed message', () => {
  it('shows the quoted message above a reply, reactions as they change, an edit with the text before it, and a deletion', async () => {
    const { page, bot } = await actionsConsole();
    const original = await inject(bot, 'Lunch at noon?');
    const reply = await inject(bot, 'Yes!', { quotedMessageId: original.id });
    const replyItem = incomingItem(page, reply.id);
    const quote = replyItem.locator('[data-testid="quoted"]');
    expect(await quote.innerText()).toBe(`↩ ${PEER} Lunch at noon?`);
    expect(await quote.getAttribute('data-quoted-id')).toBe(original.id);
    const above = await replyItem.evaluate((li) => li.querySelector('.quoted + .item-text')?.textContent);
    expect(above).toBe('Yes!');
    const item = incomingItem(page, original.id);
    expect(await item.locator('[data-testid="quoted"]').count()).toBe(0);

    expect(await item.locator('[data-testid="reactions"]').isHidden()).toBe(true);
    await reactAs(bot, original.id, PEER, '👍');
    await reactAs(bot, original.id, OTHER, '❤️');
    await expect.poll(() => reactions(item)).toEqual([`👍 ${PEER}`, `❤️ ${OTHER}`]);
    await reactAs(bot, original.id, PEER, '😂'); // a new reaction replaces theirs
    await reactAs(bot, original.id, OTHER, ''); // taken back
    await expect.poll(() => reactions(item)).toEqual([`😂 ${PEER}`]);
    expect(await replyItem.locator('[data-testid="reactions"]').isHidden()).toBe(true);

    const edit = await bot.request('sandbox_edit_message', { sessionId: SESSION, messageId: original.id, text: 'Lunch at one?' });
    expect(edit.previousText).toBe('Lunch at noon?');
    expect(await mark(item, 'edited')).toBe('edited — was “Lunch at noon?”');
    expect(await item.locator('[data-testid="incoming-item"] .item-text').innerText()).toBe('Lunch at one?');

    await bot.request('sandbox_revoke_message', { sessionId: SESSION, messageId: reply.id });
    expect(await mark(replyItem, 'revoked')).toBe(`deleted for everyone by ${PEER}`);
    expect(await replyItem.locator('.item-text').getAttribute('data-revoked')).toBe('yes');
    expect(await item.locator('[data-testid="revoked"]').isHidden()).toBe(true);
    await screenshot(page, 'console-desktop-message-marks.png');
  });

  it('marks the messages the console sent too: a reaction, an edit from the phone, a reply quoting it, a deletion', async () => {
    const { page, bot } = await actionsConsole();
    const sentId = await sendText(page, 'See you at 5');
    const item = sentItem(page, sentId);
    await reactAs(bot, sentId, PEER, '👍');
    await expect.poll(() => reactions(item)).toEqual([`👍 ${PEER}`]);

    await bot.request('sandbox_edit_message', { sessionId: SESSION, messageId: sentId, text: 'See you at 6' });
    expect(await mark(item, 'edited')).toBe('edited — was “See you at 5”');
    expect(await item.locator('.item-text').innerText()).toBe('See you at 6');
    const reply = await inject(bot, 'ok', { quotedMessageId: sentId });
    expect(await incomingItem(page, reply.id).locator('[data-testid="quoted"]').innerText()).toBe(`↩ ${ACCOUNT} See you at 6`);

    const revoke = await bot.request('sandbox_revoke_message', { sessionId: SESSION, messageId: sentId });
    expect(revoke.revokedBy).toBe(ACCOUNT);
    expect(await mark(item, 'revoked')).toBe(`deleted for everyone by ${ACCOUNT}`);
  });
});
