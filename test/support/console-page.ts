/**
 * Driving the browser test console (public/whatsapp-test.html) in Chromium with playwright-core,
 * against sandbox gateways. A test file calls useConsoleBrowser() once: one browser for the file;
 * whatever a test opens (gateways, browser contexts) is closed after it, and no page may have thrown.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchArgs } from '../../src/engines/wwebjs/browser';
import { startSandboxGateway, type TestGateway } from './sandbox-gateway';

const ROOT = path.resolve(__dirname, '../..');
// The README's screenshots are refreshed only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
const SCREENSHOTS = path.join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots');
export const CONSOLE_FILE = path.join(ROOT, 'public/whatsapp-test.html');
export const PEER = '6282284316465';
export const SESSION = 'console';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

let browser: Browser;
const pageErrors: string[] = [];
/** What the running test opened (gateways, browser contexts), closed after it, newest first. */
const cleanups: Array<() => Promise<unknown>> = [];

export function useConsoleBrowser(): void {
  beforeAll(async () => {
    await fs.mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: launchArgs([]) });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
}

/** Runs `cleanup` after the running test, before what it opened earlier is closed. */
export function afterThisTest(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** A sandbox gateway for this test alone; pairs at once unless `env` says otherwise. */
export async function sandbox(env: Record<string, string> = {}, parts?: Parameters<typeof startSandboxGateway>[2]): Promise<TestGateway> {
  const gateway = await startSandboxGateway({ SANDBOX_SCAN_MS: '0', ...env }, undefined, parts);
  afterThisTest(() => gateway.shutdown());
  return gateway;
}

/** The console at `url`, in a browser context of its own (`prepare` may set it up first, e.g. routes). */
export async function openConsole(url: string, viewport = DESKTOP, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<Page> {
  const context = await browser.newContext({ viewport, ...(viewport.width < 500 && { isMobile: true, hasTouch: true }) });
  afterThisTest(() => context.close());
  context.setDefaultTimeout(5000);
  context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(error.message)));
  await prepare?.(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** The console as the gateway serves it, connected to that gateway. */
export async function connectedConsole(gateway: TestGateway, viewport = DESKTOP, route = '/whatsapp-test.html'): Promise<Page> {
  const page = await openConsole(`${gateway.url}${route}`, viewport);
  await connect(page, undefined);
  return page;
}

/** Starts `sessionId` from the page and waits until the page shows its account. */
export async function startSession(page: Page, sessionId = SESSION): Promise<void> {
  await page.fill('#session-id', sessionId);
  await page.click('#start-session');
  await page.locator('#account').waitFor({ timeout: 8000 });
}

/** Clicks Connect (disconnecting first if needed) and waits until the page says `state`. */
export async function connect(page: Page, serverUrl: string | undefined, state = 'connected'): Promise<Locator> {
  if ((await page.locator('#connect-button').innerText()) === 'Disconnect') {
    await page.click('#connect-button');
    await page.locator('#conn-state[data-state="disconnected"]').waitFor();
  }
  if (serverUrl !== undefined) await page.fill('#server-url', serverUrl);
  await page.click('#connect-button');
  const indicator = page.locator(`#conn-state[data-state="${state}"]`);
  await indicator.waitFor();
  return indicator;
}

/** Waits until element `#id` shows `text` and returns its full text. */
export async function shows(page: Page, id: string, text: string | RegExp): Promise<string> {
  const target = page.locator(`#${id}`).filter({ hasText: text });
  await target.waitFor();
  return target.innerText();
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    document.querySelectorAll('.items, .log').forEach((list) => (list.scrollTop = 0));
    window.scrollTo(0, 0);
  });
  await page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage, animations: 'disabled', caret: 'hide' });
}

export async function sendFromForm(
  page: Page,
  fields: { to?: string; type: string; text?: string; media?: string; clientMessageId?: string },
): Promise<void> {
  await page.selectOption('#send-type', fields.type);
  await page.fill('#send-to', fields.to ?? PEER);
  await page.fill('#send-text', fields.text ?? '');
  if (fields.type !== 'text') await page.fill('#send-media', fields.media ?? '');
  await page.fill('#send-client-id', fields.clientMessageId ?? '');
  await page.click('#send-button');
}
