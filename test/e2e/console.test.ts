/**
 * The browser test console (public/whatsapp-test.html) against the real
 * gateway with the sandbox engine, driven through Chromium with
 * playwright-core (test/support/console-page.ts). One browser for the whole
 * file; every test starts its own gateway and opens its own pages, and sets up
 * the session it needs, so each runs alone (`-t`) and in any order. Message
 * actions and marks: console-actions.test.ts.
 */
import { sandboxMediaBytes } from '../../src/engines/sandbox/media';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { generateProtocolDocs } from '../../scripts/generate-protocol-docs';
import { consoleProtocol, consoleScript, type ConsoleProtocol } from '../../scripts/protocol-docs/console';
import { readSandboxSent, sandboxPairingCode, sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-engine';
import { MESSAGE_TYPES } from '../../src/protocol/schemas';
import {
  afterThisTest,
  CONSOLE_FILE,
  connect,
  connectedConsole,
  DESKTOP,
  openConsole,
  PEER,
  PHONE,
  sandbox,
  screenshot,
  sendFromForm,
  SESSION,
  shows,
  startSession,
  useConsoleBrowser,
} from '../support/console-page';
import { nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';
import type { GatewayClient } from '../../src/client/gateway-client';

const UNREGISTERED = '6281234567000';
const API_KEY = 'e2e-console-key-0123456789';

useConsoleBrowser();

const MESSAGES = [
  { type: 'text', text: 'Hello from e2e' },
  { type: 'image', media: 'photo.jpg', text: 'a photo' },
  { type: 'video', media: 'clip.mp4' },
  { type: 'document', media: 'report.pdf', text: 'the report' },
  { type: 'audio', media: 'voice.ogg' },
];
const ECHOES = ['echo: Hello from e2e', 'echo: image', 'echo: video', 'echo: document', 'echo: audio'];

/** Sends every message of MESSAGES from the form, each once the page showed the previous one sent. */
async function sendAll(page: Page): Promise<void> {
  for (const message of MESSAGES) {
    await sendFromForm(page, message);
    await shows(page, 'send-result', `message_sent: ${message.type} to ${PEER}`);
  }
}

const ticks = (page: Page) =>
  page.locator('[data-testid="sent-ack"]').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.ack));

const countLog = (page: Page, event: string) => page.locator(`[data-testid="log-entry"][data-event="${event}"]`).count();

/** A TCP port on which nothing listens. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('test console over http, sandbox engine', () => {
  it('is served at / and /whatsapp-test.html, with the Socket.IO client at /ws/socket.io.js', async () => {
    const gateway = await sandbox();
    for (const route of [
      '/',
      '/whatsapp-test.html',
      '/whatsapp-test.js',
      '/whatsapp-test-actions.js',
      '/whatsapp-test-chats.js',
      '/whatsapp-test.css',
      '/ws/socket.io.js',
    ]) {
      const response = await fetch(`${gateway.url}${route}`);
      expect(response.status, route).toBe(200);
    }
    expect(await (await fetch(`${gateway.url}/`)).text()).toContain('<title>WhatsApp Gateway');
  });

  it('defaults the server URL to its own origin and connects', async () => {
    const gateway = await sandbox();
    const desktop = await openConsole(`${gateway.url}/whatsapp-test.html`);
    expect(await desktop.inputValue('#server-url')).toBe(gateway.url);
    expect(await desktop.locator('#conn-state').innerText()).toContain('Disconnected');
    const state = await connect(desktop, undefined);
    expect(await state.innerText()).toContain(`Connected to ${gateway.url}`);
    expect(await desktop.innerText('#connect-button')).toBe('Disconnect');

    const phone = await openConsole(`${gateway.url}/`, PHONE);
    expect(await phone.inputValue('#server-url')).toBe(gateway.url);
    await connect(phone, undefined);
  });

  it('starts a session and shows the QR image with its attempt count', async () => {
    const gateway = await sandbox({ SANDBOX_SCAN_MS: '60000' }); // nobody scans while the test looks
    const desktop = await connectedConsole(gateway);
    const phone = await connectedConsole(gateway, PHONE, '/');
    for (const page of [desktop, phone]) await page.fill('#session-id', SESSION);
    await desktop.click('#start-session');
    await shows(desktop, 'session-result', `start_session accepted: session ${SESSION} was starting`);
    for (const page of [desktop, phone]) {
      await page.locator('#qr-image').waitFor();
      expect(await page.getAttribute('#qr-image', 'src')).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
      expect(await page.innerText('#qr-attempt')).toContain('attempt 1');
      expect(await page.getAttribute('#session-status', 'data-status')).toBe('qr');
      expect(await page.isHidden('#account')).toBe(true);
    }
    await Promise.all([screenshot(desktop, 'console-desktop-qr.png'), screenshot(phone, 'console-phone-qr.png')]);
  });

  it('shows the phone number and push name once connected, and the QR goes away', async () => {
    const gateway = await sandbox({ SANDBOX_SCAN_MS: '1500' });
    const desktop = await connectedConsole(gateway);
    const phone = await connectedConsole(gateway, PHONE, '/');
    for (const page of [desktop, phone]) await page.fill('#session-id', SESSION);
    await desktop.click('#start-session');
    for (const page of [desktop, phone]) await page.locator('#qr-image').waitFor();
    for (const page of [desktop, phone]) {
      await page.locator('#account').waitFor({ timeout: 8000 });
      expect(await page.innerText('#account-phone')).toBe(`+${sandboxPhoneNumber(SESSION)}`);
      expect(await page.innerText('#account-name')).toBe(`Sandbox ${SESSION}`);
      expect(await page.isHidden('#qr')).toBe(true);
      expect(await page.getAttribute('#session-status', 'data-status')).toBe('connected');
    }
  });

  it('starts a session with a pairing code: shows the code big, then the account of that number', async () => {
    const gateway = await sandbox({ SANDBOX_SCAN_MS: '1500' });
    const desktop = await connectedConsole(gateway);
    const phone = await connectedConsole(gateway, PHONE, '/');
    for (const page of [desktop, phone]) await page.fill('#session-id', SESSION);
    await desktop.fill('#pairing-phone', '+62 822-8431-6465');
    await desktop.click('#start-session');
    const code = sandboxPairingCode(SESSION, PEER, 1);
    for (const page of [desktop, phone]) {
      await page.locator('#pairing').waitFor();
      expect(await page.innerText('#pairing-code')).toBe(`${code.slice(0, 4)}-${code.slice(4)}`);
      expect(await page.innerText('#pairing-number')).toBe(`+${PEER}`);
      expect(await page.getAttribute('#session-status', 'data-status')).toBe('pairing');
      expect(await page.isHidden('#qr')).toBe(true);
    }
    await screenshot(phone, 'console-phone-pairing-code.png');
    for (const page of [desktop, phone]) {
      await page.locator('#account').waitFor({ timeout: 8000 });
      expect(await page.innerText('#account-phone')).toBe(`+${PEER}`);
      expect(await page.isHidden('#pairing')).toBe(true);
    }
  });

  it('says why a pairing code cannot be asked for a malformed number', async () => {
    const desktop = await connectedConsole(await sandbox());
    await desktop.fill('#session-id', SESSION);
    await desktop.fill('#pairing-phone', '120363021234567890@g.us');
    await desktop.click('#start-session');
    expect(await shows(desktop, 'session-result', 'invalid_number')).toContain('is not a phone number');
    expect(await desktop.isHidden('#pairing')).toBe(true);
  });

  it.each(MESSAGES)('sends a $type message and shows message_sent', async (message) => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await sendFromForm(desktop, { ...message, clientMessageId: `e2e-${message.type}` });
    const result = await shows(desktop, 'send-result', `message_sent: ${message.type} to ${PEER}`);
    expect(result).toContain(`client id e2e-${message.type}`);
    expect(await desktop.getAttribute('#send-result', 'data-result')).toBe('ok');
    await expect.poll(() => desktop.locator('[data-testid="sent-item"]').count()).toBe(1);
    const newest = desktop.locator('[data-testid="sent-item"]').first();
    expect(result).toContain((await newest.getAttribute('data-message-id'))!);
  });

  it('sends a location, a poll, contact cards and a sticker from their own fields', async () => {
    const gateway = await sandbox({ MEDIA_ALLOW_DATA: '1' });
    const desktop = await connectedConsole(gateway);
    await startSession(desktop);
    const sent = async (type: string) => {
      await desktop.click('#send-button');
      await shows(desktop, 'send-result', `message_sent: ${type} to ${PEER}`);
    };
    await desktop.selectOption('#send-type', 'location');
    expect(await desktop.isVisible('#send-text')).toBe(false);
    await desktop.fill('#send-place-name', 'Monas');
    await sent('location');
    await desktop.selectOption('#send-type', 'poll');
    await desktop.fill('#send-poll-options', 'Rice\n Noodles \n\nSoup');
    await desktop.check('#send-poll-multiple');
    await sent('poll');
    await desktop.selectOption('#send-type', 'contact');
    await desktop.fill('#send-contact-numbers', '6281234567890, +62 898-7654-3210');
    await sent('contact');
    await desktop.fill('#send-vcard', 'BEGIN:VCARD\nVERSION:3.0\nFN:Budi\nEND:VCARD');
    await sent('contact');
    await desktop.selectOption('#send-type', 'sticker');
    expect(await desktop.isVisible('#send-text')).toBe(false);
    await desktop.setInputFiles('#send-file', { name: 'dot.webp', mimeType: 'image/webp', buffer: Buffer.from('RIFF webp') });
    await sent('sticker');

    const record = await readSandboxSent(path.join(gateway.config.dataDir, `session-${SESSION}`));
    expect(record.map(({ type, location, poll, contact }) => ({ type, location, poll, contact }))).toEqual([
      { type: 'location', location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas' } },
      { type: 'poll', poll: { question: 'Lunch?', options: ['Rice', 'Noodles', 'Soup'], allowMultipleAnswers: true } },
      { type: 'contact', contact: { chatIds: ['6281234567890@c.us', '6289876543210@c.us'] } },
      { type: 'contact', contact: { vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Budi\nEND:VCARD' } },
      { type: 'sticker' },
    ]);

    await desktop.selectOption('#send-type', 'location');
    await desktop.fill('#send-latitude', '');
    await desktop.click('#send-button');
    expect(await shows(desktop, 'send-result', 'invalid_payload')).toContain('location.latitude');
  });

  it('replies to a received message: Reply fills the chat and the quoted id, and the send carries it', async () => {
    const gateway = await sandbox();
    const desktop = await connectedConsole(gateway);
    await startSession(desktop);
    await sendFromForm(desktop, { type: 'text', text: 'ping' });
    const echo = desktop.locator('li', { has: desktop.locator('[data-testid="incoming-item"]', { hasText: 'echo: ping' }) });
    await echo.waitFor();
    const echoId = (await echo.locator('[data-testid="incoming-item"]').getAttribute('data-message-id'))!;
    await desktop.fill('#send-to', '');
    await echo.locator('[data-testid="incoming-reply"]').click();
    expect(await desktop.inputValue('#send-to')).toBe(`${PEER}@c.us`);
    expect(await desktop.inputValue('#send-quoted')).toBe(echoId);
    await desktop.fill('#send-text', 'pong, @6281234567890');
    await desktop.fill('#send-mentions', '6281234567890');
    await desktop.click('#send-button');
    await shows(desktop, 'send-result', `message_sent: text to ${PEER}@c.us`);
    const record = await readSandboxSent(path.join(gateway.config.dataDir, `session-${SESSION}`));
    expect(record.at(-1)).toMatchObject({ text: 'pong, @6281234567890', quotedMessageId: echoId, mentions: ['6281234567890@c.us'] });
  });

  it('moves the ticks of every sent message to read', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await sendAll(desktop);
    await expect.poll(() => ticks(desktop)).toEqual(Array(MESSAGES.length).fill('read'));
    for (const text of await desktop.locator('[data-testid="sent-ack"]').allInnerTexts()) expect(text).toBe('✓✓ read');
  });

  it('lists the echoes as incoming messages and marks one read when clicked', async () => {
    const gateway = await sandbox();
    const desktop = await connectedConsole(gateway);
    const phone = await connectedConsole(gateway, PHONE, '/');
    await startSession(desktop);
    await sendAll(desktop);
    for (const text of ECHOES) await desktop.locator('[data-testid="incoming-item"]', { hasText: text }).waitFor();
    const echo = desktop.locator('[data-testid="incoming-item"]', { hasText: 'echo: Hello from e2e' });
    expect(await echo.innerText()).toContain(`From ${PEER}`);
    expect(await echo.innerText()).toContain('direct chat');
    expect(await echo.locator('[data-testid="incoming-read"]').innerText()).toContain('unread');
    await echo.focus();
    await desktop.keyboard.press('Enter');
    await echo.locator('[data-testid="incoming-read"][data-read="yes"]').waitFor();
    expect(await echo.locator('[data-testid="incoming-read"]').innerText()).toBe('✓ marked read (message_read)');
    expect(await countLog(desktop, 'message_read')).toBeGreaterThan(0);
    // The phone page follows every session too, so it saw the same echoes.
    await phone.locator('[data-testid="incoming-item"]', { hasText: 'echo: audio' }).waitFor();
  });

  it('shows send errors in words: code and message', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await sendFromForm(desktop, { type: 'text', to: UNREGISTERED, text: 'anyone there?' });
    const result = await shows(desktop, 'send-result', 'not_on_whatsapp');
    expect(result).toMatch(/^✗ Error not_on_whatsapp \(send_error\): .+/);
    expect(await desktop.getAttribute('#send-result', 'data-result')).toBe('error');

    await sendFromForm(desktop, { type: 'image', media: 'missing.jpg' });
    expect(await shows(desktop, 'send-result', 'media_not_found')).toMatch(/^✗ Error media_not_found \(send_error\): .+/);
    await sendFromForm(desktop, { type: 'image', media: '' });
    expect(await shows(desktop, 'send-result', 'invalid_payload')).toContain('media: is required for image messages');
  });

  it('checks a registered, an unregistered and a malformed number', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await desktop.fill('#contact-number', PEER);
    await desktop.click('#check-number');
    expect(await shows(desktop, 'check-result', 'is on WhatsApp')).toBe(`✓ ${PEER} is on WhatsApp (jid ${PEER}@c.us).`);
    await desktop.fill('#contact-number', UNREGISTERED);
    await desktop.press('#contact-number', 'Enter');
    expect(await shows(desktop, 'check-result', 'is not on WhatsApp')).toBe(`✗ ${UNREGISTERED} is not on WhatsApp.`);
    expect(await desktop.getAttribute('#check-result', 'data-result')).toBe('warn');
    await desktop.fill('#contact-number', '12ab');
    await desktop.click('#check-number');
    expect(await shows(desktop, 'check-result', 'invalid_number')).toMatch(/^✗ Error invalid_number \(phone_check_error\): /);
  });

  it('fetches profile info', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await desktop.fill('#contact-number', PEER);
    await desktop.click('#get-profile');
    const profile = await shows(desktop, 'profile-result', `Profile of ${PEER}`);
    expect(profile).toContain('Contact 6465');
    expect(profile).toContain(`${PEER}@c.us`);
    expect(profile).toContain('No profile picture');
  });

  it('subscribes and injects an incoming message (sandbox)', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await desktop.fill('#subscribe-ids', `${SESSION}, other`);
    await desktop.click('#subscribe-button');
    expect(await shows(desktop, 'subscribe-result', 'Following')).toBe(`✓ Following: ${SESSION}, other.`);
    await desktop.fill('#inject-text', 'Injected hello');
    await desktop.click('#inject-button');
    expect(await shows(desktop, 'inject-result', 'Injected into')).toBe(`✓ Injected into ${SESSION}: “Injected hello” from ${PEER}.`);
    await desktop.locator('[data-testid="incoming-item"]', { hasText: 'Injected hello' }).waitFor();
    expect(await desktop.locator('[data-testid="incoming-item"]', { hasText: 'Injected hello' }).count()).toBe(1);
    await desktop.fill('#subscribe-ids', '*');
    await desktop.click('#subscribe-button');
    await shows(desktop, 'subscribe-result', 'Following every session.');
  });

  it('asks for the session status and lists active and stored sessions', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await desktop.click('#session-status-button');
    expect(await shows(desktop, 'session-result', 'Session console:')).toBe(
      `✓ Session ${SESSION}: connected, phone +${sandboxPhoneNumber(SESSION)}`,
    );
    await desktop.click('#active-sessions');
    const active = await shows(desktop, 'session-result', 'Active sessions (1)');
    expect(active).toContain(`${SESSION} — connected`);
    await desktop.click('#available-sessions');
    expect(await shows(desktop, 'session-result', 'Stored sessions (1)')).toContain(`${SESSION} — running`);
  });

  it('works on a phone and a desktop at once, the phone sending, both seeing the echo (the README screenshots)', async () => {
    const gateway = await sandbox();
    const desktop = await connectedConsole(gateway);
    const phone = await connectedConsole(gateway, PHONE, '/');
    await phone.fill('#session-id', SESSION);
    await startSession(desktop);
    await phone.locator('#account').waitFor();

    // The scene of the screenshots: a session that has sent and received, looked a number up, and hit errors.
    await sendAll(desktop);
    await sendFromForm(desktop, { type: 'image', media: '' });
    await shows(desktop, 'send-result', 'invalid_payload');
    await desktop.fill('#contact-number', '12ab');
    await desktop.click('#check-number');
    await shows(desktop, 'check-result', 'invalid_number');
    await desktop.fill('#contact-number', PEER);
    await desktop.click('#get-profile');
    await shows(desktop, 'profile-result', `Profile of ${PEER}`);
    await desktop.selectOption('#typing-state', 'paused');
    await desktop.click('#send-typing');
    await shows(desktop, 'typing-result', 'Typing state paused');
    await desktop.fill('#subscribe-ids', '*');
    await desktop.click('#subscribe-button');
    await shows(desktop, 'subscribe-result', 'Following every session.');
    await desktop.fill('#inject-text', 'Injected hello');
    await desktop.click('#inject-button');
    await shows(desktop, 'inject-result', 'Injected into');
    await desktop.click('#available-sessions');
    await shows(desktop, 'session-result', 'Stored sessions (1)');
    await expect.poll(() => ticks(desktop)).toEqual(Array(MESSAGES.length).fill('read'));

    await sendFromForm(phone, { type: 'text', text: 'Sent from a phone' });
    await shows(phone, 'send-result', 'message_sent: text');
    // message_sent goes to every follower of the session: the phone lists the desktop's sends too.
    const fromPhone = phone.locator('[data-testid="sent-item"]', { hasText: 'Sent from a phone' });
    await fromPhone.locator('[data-testid="sent-ack"][data-ack="read"]').waitFor();
    await phone.locator('[data-testid="incoming-item"]', { hasText: 'echo: Sent from a phone' }).waitFor();
    await desktop.locator('[data-testid="incoming-item"]', { hasText: 'echo: Sent from a phone' }).waitFor();
    await Promise.all([
      screenshot(desktop, 'console-desktop-connected.png'),
      screenshot(desktop, 'console-desktop-connected-full.png', true),
      screenshot(phone, 'console-phone-connected.png'),
      screenshot(phone, 'console-phone-connected-full.png', true),
    ]);
  });

  it('stops the session, lists it as stored, and loads it back from storage without a QR', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    const qrCodesBefore = await countLog(desktop, 'qr_code');
    await desktop.click('#stop-session');
    expect(await shows(desktop, 'session-result', 'stopped')).toBe(`✓ Session ${SESSION} stopped (reason: stopped). Its login is kept.`);
    await desktop.locator('#session-status[data-status="stopped"]').waitFor();
    expect(await desktop.isHidden('#account')).toBe(true);
    await desktop.click('#available-sessions');
    expect(await shows(desktop, 'session-result', 'Stored sessions (1)')).toContain(`${SESSION} — not running`);
    await desktop.click('#active-sessions');
    await shows(desktop, 'session-result', 'Active sessions (0): none.');

    await desktop.click('#load-sessions');
    expect(await shows(desktop, 'session-result', 'Load from storage')).toBe(`✓ Load from storage: loaded ${SESSION}.`);
    await desktop.locator('#session-status[data-status="connected"]').waitFor();
    await desktop.locator('#account').waitFor();
    expect(await desktop.isHidden('#qr')).toBe(true);
    expect(await countLog(desktop, 'qr_code')).toBe(qrCodesBefore);
  });

  it('logs the session out, which deletes its stored login', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop);
    await desktop.click('#logout-session');
    expect(await shows(desktop, 'session-result', 'logged out')).toContain(`Session ${SESSION} logged out`);
    await desktop.locator('#session-status[data-status="stopped"]').waitFor();
    await desktop.click('#available-sessions');
    await shows(desktop, 'session-result', 'Stored sessions (0): none.');
    await desktop.fill('#session-id', 'nobody');
    await desktop.click('#session-status-button');
    await shows(desktop, 'session-result', 'Session nobody: not found');
    expect(await desktop.getAttribute('#session-status', 'data-status')).toBe('not_found');
  });

  it('filters the raw log, shortens data URLs and clears it', async () => {
    const desktop = await connectedConsole(await sandbox());
    await startSession(desktop); // shows one QR before the sandbox pairs
    await sendAll(desktop);
    await expect.poll(() => ticks(desktop)).toEqual(Array(MESSAGES.length).fill('read'));
    const entries = desktop.locator('[data-testid="log-entry"]');
    const total = await entries.count();
    expect(total).toBeGreaterThan(20);

    await desktop.fill('#log-filter', 'message_ack');
    const events = await entries.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.event));
    expect(events).toHaveLength(MESSAGES.length * 3); // server, device, read
    expect(new Set(events)).toEqual(new Set(['message_ack']));
    expect(await desktop.innerText('#log-count')).toBe(`${events.length} of ${total} events shown`);
    expect(await entries.first().locator('pre').innerText()).toMatch(/^\{\n {2}"sessionId": "console",\n {2}"messageId": /);

    await desktop.fill('#log-filter', 'qr_code');
    const qrEntry = desktop.locator('[data-testid="log-entry"][data-event="qr_code"]').first();
    const qrText = await qrEntry.locator('pre').innerText();
    expect(qrText).toMatch(/"qrCode": "data:image\/png;base64,[^"]{10,}… \(\d+ characters\)"/);
    expect(qrText.length).toBeLessThan(600);

    await desktop.fill('#log-filter', '');
    expect(await entries.count()).toBe(total);
    await desktop.click('#log-clear');
    expect(await entries.count()).toBe(0);
    expect(await desktop.innerText('#log-count')).toBe('0 events');
    await desktop.click('#active-sessions');
    await expect.poll(() => entries.count()).toBe(3); // sent, event, answer
    expect(await entries.first().getAttribute('data-direction')).toBe('ack');
  });

  it('says in words that it cannot connect when nothing listens at the server URL', async () => {
    const desktop = await connectedConsole(await sandbox());
    const url = `http://127.0.0.1:${await deadPort()}`;
    const state = await connect(desktop, url, 'unreachable');
    expect(await state.innerText()).toMatch(new RegExp(`^Cannot connect to ${url}: \\w.+`));
    await desktop.click('#send-button');
    expect(await shows(desktop, 'send-result', 'not_connected')).toBe(
      '✗ Error not_connected: not connected to the gateway; press Connect first',
    );
    await screenshot(desktop, 'console-desktop-unreachable.png');
    await desktop.click('#connect-button');
    await desktop.locator('#conn-state[data-state="disconnected"]').waitFor();
  });

  it('works opened from file://, connecting to the URL typed in', async () => {
    const gateway = await sandbox();
    const page = await openConsole(pathToFileURL(CONSOLE_FILE).href);
    expect(await page.inputValue('#server-url')).toBe('http://localhost:3000');

    const dead = `http://127.0.0.1:${await deadPort()}`;
    const refused = await connect(page, dead, 'refused');
    expect(await refused.innerText()).toBe(
      `Cannot connect to ${dead}: could not load the Socket.IO client from ${dead}/ws/socket.io.js (is the gateway running there?)`,
    );

    await connect(page, gateway.url);
    await page.click('#active-sessions');
    await shows(page, 'session-result', 'Active sessions (0): none.');
    await startSession(page, 'from-file');
    expect(await page.innerText('#account-phone')).toBe(`+${sandboxPhoneNumber('from-file')}`);
  });

  it('shows the gateway going away, reconnecting, and coming back on its own', async () => {
    const first = await startSandboxGateway({ SANDBOX_SCAN_MS: '0' });
    let firstRunning = true;
    afterThisTest(async () => firstRunning && (await first.shutdown()));
    const phone = await connectedConsole(first, PHONE, '/');
    await startSession(phone);
    const port = new URL(first.url).port;
    firstRunning = false;
    await first.shutdown();
    await phone.locator('[data-testid="log-entry"][data-event="gateway_shutdown"]').waitFor();
    const state = phone.locator('#conn-state');
    await phone.locator('#conn-state:is([data-state="reconnecting"], [data-state="unreachable"])').waitFor();
    expect(await state.innerText()).toMatch(/reconnecting|Retrying/);
    expect(await phone.innerText('#connect-button')).toBe('Disconnect');

    const again = await startSandboxGateway({ PORT: port, SANDBOX_SCAN_MS: '0' }, first.root);
    afterThisTest(() => again.shutdown());
    await phone.locator('#conn-state[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await state.innerText()).toBe(`Connected to ${again.url}`);
    await phone.click('#available-sessions');
    expect(await shows(phone, 'session-result', 'Stored sessions (1)')).toContain(SESSION); // the same DATA_DIR
  });
});

/** Holds the next connection to the gateway in its handshake until the returned promise's function is called. */
function holdNextConnection(gateway: TestGateway): Promise<() => void> {
  let holding = false;
  return new Promise((resolve) =>
    gateway.io.use((_socket, next) => {
      if (holding) return next();
      holding = true;
      resolve(() => next());
    }),
  );
}

describe('test console resuming the event log', () => {
  // No connection state recovery: a reconnect gets what it missed from the event log, marked replayed.
  const resumable = () => sandbox({ RECOVERY_WINDOW_MS: '0', SANDBOX_ECHO: '0' });
  const inject = (controller: GatewayClient, text: string) =>
    controller.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text });
  const incoming = (page: Page, text: string) => page.locator('[data-testid="incoming-item"]', { hasText: text });

  it('shows what it missed while reconnecting as replayed, and a note of the replay', async () => {
    const gateway = await resumable();
    const controller = await gateway.client();
    const page = await connectedConsole(gateway);
    await startSession(page);
    await inject(controller, 'seen live');
    await incoming(page, 'seen live').waitFor();

    const pageSocket = [...gateway.io.of('/').sockets.values()].find((socket) => socket.id !== controller.socket.id)!;
    const held = holdNextConnection(gateway);
    pageSocket.conn.close(); // the network drops: the page reconnects by itself
    const release = await held;
    await inject(controller, 'missed while away');
    release();
    await page.locator('#conn-state[data-state="connected"]').waitFor();

    await incoming(page, 'missed while away').locator('[data-testid="replayed-badge"]').waitFor();
    expect(await incoming(page, 'seen live').locator('[data-testid="replayed-badge"]').count()).toBe(0);
    const replayedLog = page.locator('[data-testid="log-entry"][data-event="message_received"]', { hasText: 'missed while away' });
    expect(await replayedLog.locator('[data-testid="replayed-badge"]').innerText()).toBe('replayed');
    expect(await shows(page, 'resume-note', 'Resumed')).toMatch(
      new RegExp(`^Resumed from the event log: 1 event\\(s\\) replayed \\(${SESSION}: 1 up to seq \\d+\\)\\.$`),
    );
    expect(await page.getAttribute('#resume-note', 'data-result')).toBe('ok');

    await inject(controller, 'live again');
    await incoming(page, 'live again').waitFor();
    expect(await incoming(page, 'live again').locator('[data-testid="replayed-badge"]').count()).toBe(0);
  });

  it('keeps the last seqs across a reload (sessionStorage), and resumes from them on Connect', async () => {
    const gateway = await resumable();
    const controller = await gateway.client();
    const handshakes: Array<Record<string, unknown>> = [];
    gateway.io.on('connection', (socket) => handshakes.push(socket.handshake.auth));
    const page = await connectedConsole(gateway);
    await startSession(page);
    await inject(controller, 'before the reload');
    await incoming(page, 'before the reload').waitFor();
    const [before] = handshakes.splice(0);
    expect(before).toEqual({}); // nothing seen yet at the first connect

    await page.reload();
    await inject(controller, 'during the reload');
    await connect(page, undefined);
    await incoming(page, 'during the reload').locator('[data-testid="replayed-badge"]').waitFor();
    expect(await incoming(page, 'before the reload').count()).toBe(0); // seen before the reload: not sent again
    expect(handshakes).toEqual([{ since: { [SESSION]: expect.any(Number) } }]);
  });

  it('resumes with subscribe when its seqs are too many for the handshake', async () => {
    const gateway = await resumable();
    const controller = await gateway.client();
    const ready = nextEvent(controller, 'session_connected', (p) => p.sessionId === SESSION);
    await controller.startSession(SESSION);
    await ready;
    const page = await openConsole(`${gateway.url}/`);
    const idle = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`idle-session-with-a-long-id-${i}`, 0]));
    await page.evaluate(([key, seqs]) => sessionStorage.setItem(key, JSON.stringify(seqs)), [
      `whatsapp-test:last-seqs:${gateway.url}`,
      { [SESSION]: 0, ...idle },
    ] as const);
    await inject(controller, 'from before');
    await connect(page, undefined);

    await incoming(page, 'from before').locator('[data-testid="replayed-badge"]').waitFor();
    const subscribe = page.locator('[data-testid="log-entry"][data-direction="out"][data-event="subscribe"]');
    expect(await subscribe.locator('pre').innerText()).toContain('"idle-session-with-a-long-id-149": 0');
    const note = await shows(page, 'resume-note', 'Resumed');
    expect(note).toMatch(new RegExp(`^Resumed from the event log: \\d+ event\\(s\\) replayed \\(${SESSION}: \\d+ up to seq \\d+; `));
    expect(note).toMatch(/; 146 more sessions\)\.$/);
  });
});

describe('test console: message status', () => {
  it('asks where a message is, by client message id and by message id', async () => {
    const page = await connectedConsole(await sandbox());
    await startSession(page);
    await sendFromForm(page, { type: 'text', text: 'where are you?', clientMessageId: 'e2e-status' });
    const sent = await shows(page, 'send-result', 'message_sent: text');
    const messageId = /id (\S+), client id/.exec(sent)![1]!;

    await page.fill('#status-id', 'e2e-status');
    await page.click('#message-status-button');
    const byClientId = await shows(page, 'message-status-result', 'Message e2e-status is sent');
    expect(byClientId).toContain(`to ${PEER}, id ${messageId}`);
    await page.selectOption('#status-kind', 'messageId');
    await page.fill('#status-id', messageId);
    await page.click('#message-status-button');
    await shows(page, 'message-status-result', `Message e2e-status is sent (to ${PEER}, id ${messageId}`);
    await page.fill('#status-id', 'no-such-message');
    await page.click('#message-status-button');
    expect(await shows(page, 'message-status-result', 'message_not_found')).toMatch(/^✗ Error message_not_found \(session_error\): /);
  });
});

describe('test console against a gateway that requires an API key', () => {
  const keyed = () => sandbox({ API_KEY, MEDIA_ALLOW_DATA: '1' });

  it('shows the refusal reason when the key is missing or wrong', async () => {
    const gateway = await keyed();
    const page = await openConsole(`${gateway.url}/`);
    const refused = await connect(page, undefined, 'refused');
    expect(await refused.innerText()).toBe(`Refused by ${gateway.url}: unauthorized`);
    expect(await page.innerText('#connect-button')).toBe('Connect');
    await page.fill('#api-key', 'not-the-right-key-at-all');
    expect(await (await connect(page, undefined, 'refused')).innerText()).toContain('unauthorized');
    await screenshot(page, 'console-desktop-refused.png');
  });

  it('connects with the key (sent as auth.token)', async () => {
    const page = await openConsole(`${(await keyed()).url}/`);
    await page.fill('#api-key', API_KEY);
    await connect(page, undefined);
    await startSession(page, 'keyed');
  });

  it('sends an attached file inline as base64', async () => {
    const page = await openConsole(`${(await keyed()).url}/`);
    await page.fill('#api-key', API_KEY);
    await connect(page, undefined);
    await startSession(page, 'keyed');
    await page.selectOption('#send-type', 'image');
    await page.setInputFiles('#send-file', { name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from('fake png bytes') });
    expect(await page.isDisabled('#send-media')).toBe(true);
    await page.fill('#send-text', 'attached');
    await page.click('#send-button');
    expect(await shows(page, 'send-result', 'message_sent')).toContain('message_sent: image to');
    const out = page.locator('[data-testid="log-entry"][data-direction="out"][data-event="send_whatsapp_message"]').first();
    expect(await out.locator('pre').innerText()).toContain('"mimetype": "image/png"');
    await page.click('#send-file-clear');
    expect(await page.isDisabled('#send-media')).toBe(false);
  });
});

// slice "media download" (issue 14)
describe('test console: received media', () => {
  it('shows a received image inline and offers a file behind a /media/ link to save, fetched with the API key', async () => {
    const gateway = await sandbox({ API_KEY, MAX_PAYLOAD_BYTES: '4096', SANDBOX_ECHO: '0' });
    const page = await openConsole(`${gateway.url}/`);
    await page.fill('#api-key', API_KEY);
    await connect(page, undefined);
    await startSession(page, 'media');
    const bot = await gateway.client({ token: API_KEY });
    const inject = (media: { type: 'image' | 'document'; size: number }) =>
      bot.request('sandbox_inject_message', { sessionId: 'media', from: PEER, text: `a ${media.type}`, media });

    await inject({ type: 'image', size: 300 });
    const image = page.locator('li', { has: page.locator('[data-testid="incoming-item"]', { hasText: 'a image' }) });
    await image.locator('[data-testid="incoming-download"]').click();
    const preview = image.locator('[data-testid="media-image"]');
    await preview.waitFor();
    expect(await preview.getAttribute('src')).toBe(`data:image/jpeg;base64,${sandboxMediaBytes(300).toString('base64')}`);
    expect(await image.locator('[data-testid="media-save"]').innerText()).toContain('image/jpeg, 300 bytes, inline');

    // (4096 - 1024) / 4 * 3 = 2304 bytes fit in one message: this one comes as a link.
    await inject({ type: 'document', size: 5000 });
    const document = page.locator('li', { has: page.locator('[data-testid="incoming-item"]', { hasText: 'a document' }) });
    await document.locator('[data-testid="incoming-download"]').click();
    const save = document.locator('[data-testid="media-save"]');
    await save.waitFor();
    expect(await save.innerText()).toContain('Save sandbox-5000.pdf (application/pdf, 5000 bytes, link, until');
    expect(await save.getAttribute('download')).toBe('sandbox-5000.pdf');
    const saved = await page.evaluate(
      async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())],
      (await save.getAttribute('href'))!,
    );
    expect(Buffer.from(saved)).toEqual(sandboxMediaBytes(5000));
    expect(await document.locator('[data-testid="media-image"]').count()).toBe(0);
  });
});

describe('test console: what it knows of the protocol comes from protocol.js', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ SANDBOX_SCAN_MS: '1500', SANDBOX_REPLY_MS: '20' });
  });
  afterAll(() => gateway?.shutdown());

  it('is served next to the page, as generated from src/protocol', async () => {
    const response = await fetch(`${gateway.url}/protocol.js`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(generateProtocolDocs().console);
  });

  it('follows a protocol.js that differs from the built-in one: statuses, error events and codes, ack order, message types, typing states', async () => {
    const real = consoleProtocol(pkg.version);
    const altered: ConsoleProtocol = {
      ...real,
      sessionStatuses: { ...real.sessionStatuses, qr: 'Scan me, says the test protocol.', connected: 'Ready, says the test protocol.' },
      errorEvents: { ...real.errorEvents, check_phone_number: 'lookup_error' },
      errorCodes: real.errorCodes.filter((code) => code !== 'not_on_whatsapp'),
      ackProgress: ['pending', 'server', 'device'],
      messageTypes: { ...real.messageTypes, gif: 'media' },
      typingStates: ['paused', 'typing'],
    };
    const page = await openConsole(`${gateway.url}/`, DESKTOP, (context) =>
      context.route('**/protocol.js', (route) => route.fulfill({ contentType: 'text/javascript', body: consoleScript(altered) })),
    );

    // A message type only protocol.js has is offered, with the media fields it needs.
    expect(await page.locator('#send-type option').allInnerTexts()).toEqual([...MESSAGE_TYPES, 'gif']);
    await page.selectOption('#send-type', 'gif');
    expect(await page.isVisible('#media-fields')).toBe(true);
    expect(await page.locator('#typing-state option').allInnerTexts()).toEqual(['paused', 'typing']);

    await connect(page, undefined);
    await page.fill('#session-id', 'protocol');
    await page.click('#start-session');
    await shows(page, 'session-status-detail', 'Scan me, says the test protocol.');
    await shows(page, 'session-status-detail', 'Ready, says the test protocol.');

    // Ticks stop at the last step protocol.js lists, though the gateway goes on to "read".
    await sendFromForm(page, { type: 'text', text: 'ticks' });
    await shows(page, 'send-result', 'message_sent: text');
    await page.locator('[data-testid="log-entry"][data-event="message_ack"]', { hasText: '"ack": "read"' }).waitFor();
    expect(await page.getAttribute('[data-testid="sent-ack"]', 'data-ack')).toBe('device');

    await page.fill('#contact-number', '12ab');
    await page.click('#check-number');
    expect(await shows(page, 'check-result', 'invalid_number')).toMatch(/^✗ Error invalid_number \(lookup_error\): /);
    // A code protocol.js does not list is not the gateway's, so no error event is named.
    await sendFromForm(page, { type: 'text', to: UNREGISTERED, text: 'anyone there?' });
    expect(await shows(page, 'send-result', 'not_on_whatsapp')).toMatch(/^✗ Error not_on_whatsapp: /);
  });
});
