/**
 * The engine with the real whatsapp-web.js Client and a real Chromium,
 * against the WhatsApp Web double (double/) instead of the real site.
 * Skipped when no browser is installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { EngineSession } from '../../../src/engines/engine';
import { hasBrowser } from '../../../double/gateway';
import * as double from '../../../double/harness';
import { runningInGroup } from '../../support/processes';
import { recordingListener, type RecordingListener } from '../../support/recording-listener';
import { engineOnDouble } from './engine-on-double';

const CONTACT = '6281111111111@c.us';
const WAIT = { timeout: 20_000, interval: 50 };

describe.skipIf(!hasBrowser)('wwebjs engine on Chromium with the WhatsApp Web double', { timeout: 60_000 }, () => {
  let dir: string;
  let client: wwebjs.Client;
  let session: EngineSession;
  let listener: RecordingListener;
  let cache: double.DoubleCacheOptions;

  const page = () => client.pupPage!;
  const browserPid = () => client.pupBrowser!.process()!.pid!;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wwebjs-chromium-'));
    cache = double.prepareDoubleCache(path.join(dir, 'web-cache'));
    listener = recordingListener();
    // Probe the real page often, so every test below also checks that a healthy page (reloads included) passes.
    const engine = engineOnDouble(dir, cache, (created) => (client = created), { livenessMs: 250 });
    session = engine.createSession('real', listener);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await session.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * After a phone logout the library re-injects from an unawaited page listener; the session closes
   * the browser under it (once the new QR is up), so its last steps reject unhandled (main.ts logs
   * such rejections). Keep the test run clean of this known library behaviour; the spy also tells
   * when the re-inject has run.
   */
  function swallowInjectFailures() {
    const prototype = wwebjs.Client.prototype as unknown as { inject(this: wwebjs.Client): Promise<void> };
    const inject = prototype.inject;
    return vi.spyOn(prototype, 'inject').mockImplementation(function (this: wwebjs.Client) {
      return inject.call(this).catch(() => {});
    });
  }

  async function connect(): Promise<void> {
    await session.start();
    await vi.waitFor(() => expect(listener.onQr).toHaveBeenCalled(), WAIT);
    await double.scanQr(page());
    await vi.waitFor(() => expect(listener.onConnected).toHaveBeenCalled(), WAIT);
  }

  it('shows a QR, connects once across a page reload, and carries messages both ways', async () => {
    await connect();
    const readyAgain = new Promise((resolve) => client.once('ready', resolve));
    await double.reload(page());
    await readyAgain;
    expect(listener.onConnected).toHaveBeenCalledExactlyOnceWith({
      phoneNumber: '15550001234',
      pushname: 'Double',
      webVersion: double.DOUBLE_PROFILES.legacy,
    });

    const sent = await session.messaging.sendMessage(CONTACT, { type: 'text', text: 'hello' });
    const bytes = Buffer.from('%PDF-1.4 test');
    await session.messaging.sendMessage(CONTACT, {
      type: 'document',
      caption: 'the report',
      media: { mimetype: 'application/pdf', fileName: 'report.pdf', size: bytes.length, load: async () => bytes },
    });
    expect(await double.sentMessages(page())).toMatchObject([
      { id: sent.id, to: CONTACT, type: 'chat', body: 'hello' },
      { to: CONTACT, asDocument: true, caption: 'the report', filename: 'report.pdf', mimetype: 'application/pdf' },
    ]);
    expect(await double.seenCalls(page())).toEqual([]);

    await double.setAck(page(), sent.id, 3);
    await vi.waitFor(() => expect(listener.onAck).toHaveBeenCalledWith(sent.id, 'read'), WAIT);

    await double.deliverMessage(page(), { from: CONTACT, body: 'hi there' });
    await vi.waitFor(() => expect(listener.onMessage).toHaveBeenCalledOnce(), WAIT);
    expect(listener.onMessage.mock.calls[0]![0]).toMatchObject({ from: '6281111111111', chatId: CONTACT, text: 'hi there', type: 'text' });

    expect(await session.contacts.lookupNumber(CONTACT)).toEqual({ id: CONTACT });
    expect(await session.contacts.lookupNumber('6281111111000@c.us')).toBeNull();
    await session.messaging.setTyping(CONTACT, 'typing');
    await session.messaging.markRead(CONTACT);
    expect(await double.typingCalls(page())).toMatchObject([{ chatId: CONTACT, state: 'typing' }]);
    expect(await double.seenCalls(page())).toMatchObject([{ chatId: CONTACT }]);
    // The liveness probe ran all along (every 250 ms), through the reload too, and found the page alive.
    expect(listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('reads no chat back from the page when an unread count changes, after a page reload too', async () => {
    await connect();
    const readyAgain = new Promise((resolve) => client.once('ready', resolve));
    await double.reload(page());
    await readyAgain;
    // Only a point to wait for: the session's ready handler has run on the reloaded page.
    const handler = () => page().evaluate(() => String((window as { onChatUnreadCountEvent?: unknown }).onChatUnreadCountEvent));
    await vi.waitFor(async () => expect(await handler()).toBe('() => undefined'), WAIT);
    const chatReads = vi.spyOn(client, 'getChatById');
    const unreadCounts = vi.fn();
    client.on('unread_count', unreadCounts);
    await double.deliverMessage(page(), { from: CONTACT, body: 'one' });
    await session.messaging.sendMessage(CONTACT, { type: 'text', text: 'two' });
    await double.deliverMessage(page(), { from: CONTACT, body: 'three' });
    await vi.waitFor(() => expect(listener.onMessage).toHaveBeenCalledTimes(2), WAIT);
    expect(chatReads).not.toHaveBeenCalled();
    expect(unreadCounts).not.toHaveBeenCalled();
  });

  it('reports a logout from the phone once its browser and stored login are gone', async () => {
    const inject = swallowInjectFailures();
    await connect();
    const pid = browserPid();
    await double.logoutFromPhone(page());
    await vi.waitFor(() => expect(listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('logged_out'), WAIT);
    await vi.waitFor(() => expect(runningInGroup(pid)).toEqual([]), WAIT);
    await vi.waitFor(() => expect(inject).toHaveBeenCalledTimes(2), WAIT); // initialize(), then the re-inject
    await inject.mock.results[1]!.value;
    expect(fs.existsSync(path.join(dir, 'auth', 'session-real'))).toBe(false);
    expect(listener.onQr).toHaveBeenCalledOnce(); // the QR after the logout was not passed on
  });

  it('reports a browser killed from outside as browser_closed, and leaves none of its processes', async () => {
    await session.start();
    const pid = browserPid();
    process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('browser_closed'), WAIT);
    await vi.waitFor(() => expect(runningInGroup(pid)).toEqual([]), WAIT);
    await expect(session.messaging.markRead(CONTACT)).rejects.toMatchObject({ code: 'engine_error' });
  });

  it('logs out: the stored login is deleted and the browser closed', async () => {
    await connect();
    const pid = browserPid();
    await session.logout();
    expect(fs.existsSync(path.join(dir, 'auth', 'session-real'))).toBe(false);
    await vi.waitFor(() => expect(runningInGroup(pid)).toEqual([]), WAIT);
    expect(listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('stops while WhatsApp Web never finishes loading', async () => {
    await connect();
    await double.stopAnswering(page());
    await session.stop();
    listener.onQr.mockClear();

    // A new session on the same profile now hangs in OPENING: initialize() never resolves.
    const engine = engineOnDouble(dir, cache, (created) => (client = created));
    session = engine.createSession('real', listener);
    const started = session.start();
    await vi.waitFor(() => expect(client.pupBrowser).toBeTruthy(), WAIT);
    const pid = browserPid();
    await session.stop();
    await expect(started).rejects.toMatchObject({ code: 'session_stopped' });
    await vi.waitFor(() => expect(runningInGroup(pid)).toEqual([]), WAIT);
  });
});
