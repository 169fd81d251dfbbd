/**
 * findSent with the real whatsapp-web.js Client in real Chromium, on every profile of the WhatsApp
 * Web double: what a restarted gateway asks to confirm a send a crash interrupted. The message must be
 * found by the id sendMessage answered, in the LID chat where the site of today puts it, and after a
 * restart, when the page has brought the chat's messages back with keys made before they were mended.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { MediaFile, SentMessage, SentProbe } from '../../../src/engines/capabilities/messaging';
import type { EngineSession } from '../../../src/engines/engine';
import { killProcessGroup } from '../../../src/engines/wwebjs/browser';
import { hasBrowser } from '../../../double/gateway';
import * as double from '../../../double/harness';
import { runningInGroup } from '../../support/processes';
import { recordingListener } from '../../support/recording-listener';
import { PNG_BASE64 } from '../../gateway-double/support';
import { engineOnDouble } from './engine-on-double';

const NUMBER = '6281111111111';
const CONTACT = `${NUMBER}@c.us`;
const WAIT = { timeout: 20_000, interval: 50 };

function media(mimetype: string, fileName: string, bytes: Buffer): MediaFile {
  return { mimetype, fileName, size: bytes.length, load: async () => bytes };
}

/**
 * Engine sessions on one login (a temporary DATA_DIR) against the double of `profile`: the first
 * one is paired by a QR scan, later ones restore it. Call `cleanup()` after each test.
 */
function doubleLogin(profile: double.DoubleProfile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wwebjs-find-sent-'));
  const sessions: EngineSession[] = [];
  let client: wwebjs.Client;
  const page = () => client.pupPage!;

  async function start(options: double.DoubleOptions = {}) {
    const cache = double.prepareDoubleCache(path.join(dir, 'web-cache'), { profile, ...options });
    const listener = recordingListener();
    const engine = engineOnDouble(dir, cache, (created) => (client = created));
    const session = engine.createSession('finder', listener);
    sessions.push(session);
    await session.start();
    return { session, listener };
  }

  return {
    page,
    browserPid: () => client.pupBrowser!.process()!.pid!,
    start,
    /** A new login: QR, scan, connected. */
    async connect(options: double.DoubleOptions = {}) {
      const started = await start(options);
      await vi.waitFor(() => expect(started.listener.onQr).toHaveBeenCalled(), WAIT);
      await double.scanQr(page());
      await vi.waitFor(() => expect(started.listener.onConnected).toHaveBeenCalled(), WAIT);
      return started;
    },
    /** The stored login, restored: connected without a QR. */
    async restore() {
      const started = await start();
      await vi.waitFor(() => expect(started.listener.onConnected).toHaveBeenCalled(), WAIT);
      expect(started.listener.onQr).not.toHaveBeenCalled();
      return started;
    },
    /** Where the site files a person's messages: their LID chat on the site of today. */
    chatOf: async () => (profile === '2026-07-lid' ? double.lidOf(page(), NUMBER) : CONTACT),
    async cleanup() {
      for (const session of sessions.splice(0)) await session.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What findSent answers for `sent` when asked about CONTACT, `landed` being the chat it is in. */
function foundAs(sent: SentMessage, landed: string): SentMessage {
  return { id: sent.id, timestamp: sent.timestamp, ...(landed !== CONTACT && { chatId: landed }) };
}

describe.skipIf(!hasBrowser)('findSent on the WhatsApp Web double', { timeout: 60_000 }, () => {
  let login: ReturnType<typeof doubleLogin>;
  afterEach(() => login.cleanup());

  describe.each(double.DOUBLE_PROFILE_NAMES)('profile %s', (profile) => {
    beforeEach(() => {
      login = doubleLogin(profile);
    });

    it('finds what it sent by the id sendMessage answered, also after a restart; nothing that differs', async () => {
      const { session } = await login.connect();
      const page = login.page;
      const find = (probe: SentProbe) => session.messaging.findSent!(CONTACT, probe);
      const sent = await session.messaging.sendMessage(CONTACT, { type: 'text', text: 'hello' });
      const again = await session.messaging.sendMessage(CONTACT, { type: 'text', text: 'hello' });
      const image = await session.messaging.sendMessage(CONTACT, {
        type: 'image',
        caption: 'a dot',
        media: media('image/png', 'dot.png', Buffer.from(PNG_BASE64, 'base64')),
      });
      const voice = await session.messaging.sendMessage(CONTACT, {
        type: 'audio',
        media: media('audio/ogg', 'note.ogg', Buffer.from('OggS')),
      });
      const landed = await login.chatOf();
      expect(sent.chatId).toBe(landed);

      expect(await find({ type: 'text', text: 'hello', since: sent.timestamp })).toEqual(foundAs(sent, landed)); // the earlier of two
      expect(await find({ type: 'text', text: 'hello', since: again.timestamp + 1_000 })).toBeUndefined(); // none after the last
      expect(await find({ type: 'text', text: 'hello!', since: 0 })).toBeUndefined();
      expect(await find({ type: 'document', text: 'hello', since: 0 })).toBeUndefined();
      expect(await find({ type: 'image', text: 'a dot', since: 0 })).toEqual(foundAs(image, landed));
      expect(await find({ type: 'image', since: 0 })).toBeUndefined(); // it has a caption
      expect(await find({ type: 'audio', since: 0 })).toEqual(foundAs(voice, landed)); // went out as a voice note (ptt)
      expect(await session.messaging.findSent!(landed, { type: 'text', text: 'hello', since: 0 })).toEqual(foundAs(sent, CONTACT));
      expect(again.id).not.toBe(sent.id);

      await double.deliverMessage(page(), { from: CONTACT, body: 'from them' });
      expect((await double.chatMessages(page(), landed)).at(-1)).toMatchObject({ fromMe: false, body: 'from them' });
      expect(await find({ type: 'text', text: 'from them', since: 0 })).toBeUndefined(); // not sent by this account

      await session.stop();
      const restarted = await login.restore();
      expect(await double.sentMessages(page())).toEqual([]); // nothing sent since the restart
      const findAfter = (probe: SentProbe) => restarted.session.messaging.findSent!(CONTACT, probe);
      expect(await findAfter({ type: 'text', text: 'hello', since: sent.timestamp })).toEqual(foundAs(sent, landed));
      expect(await findAfter({ type: 'audio', since: sent.timestamp })).toEqual(foundAs(voice, landed));
    });

    it('finds a location, a poll, a sticker and a contact card after a restart, by type and what they show', async () => {
      const { session } = await login.connect();
      const location = await session.messaging.sendMessage(CONTACT, {
        type: 'location',
        location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Jakarta' },
      });
      const poll = await session.messaging.sendMessage(CONTACT, {
        type: 'poll',
        poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false },
      });
      const sticker = await session.messaging.sendMessage(CONTACT, {
        type: 'sticker',
        media: media('image/png', 'dot.png', Buffer.from(PNG_BASE64, 'base64')),
      });
      const card = await session.messaging.sendMessage(CONTACT, { type: 'contact', cards: { chatIds: ['6282222222222@c.us'] } });
      const landed = await login.chatOf();
      await session.stop();

      const { session: restarted } = await login.restore();
      const find = (probe: Omit<SentProbe, 'since'>) => restarted.messaging.findSent!(CONTACT, { ...probe, since: location.timestamp });
      expect(await find({ type: 'location', text: 'Monas\nJakarta' })).toEqual(foundAs(location, landed));
      expect(await find({ type: 'location', text: 'Monas' })).toBeUndefined();
      expect(await find({ type: 'poll', text: 'Lunch?' })).toEqual(foundAs(poll, landed));
      expect(await find({ type: 'poll', text: 'Dinner?' })).toBeUndefined();
      expect(await find({ type: 'sticker' })).toEqual(foundAs(sticker, landed));
      expect(await find({ type: 'contact' })).toEqual(foundAs(card, landed));
    });

    it('finds a send the library could not read back (send_unconfirmed) by the id the page gave it', async () => {
      const { session } = await login.connect({ misindexSent: true });
      const before = Date.now();
      await expect(session.messaging.sendMessage(CONTACT, { type: 'text', text: 'lost and found' })).rejects.toMatchObject({
        code: 'send_unconfirmed',
      });
      const [out] = await double.sentMessages(login.page());
      expect(await session.messaging.findSent!(CONTACT, { type: 'text', text: 'lost and found', since: before })).toEqual(
        foundAs({ id: out!.id, timestamp: out!.timestamp * 1000 }, await login.chatOf()),
      );
    });
  });

  // The case issue #13 is about: the process dies right after WhatsApp Web took the message.
  it('on the site of today, finds a send after the browser was killed with kill -9 right after it', async () => {
    login = doubleLogin('2026-07-lid');
    const paired = await login.connect();
    await paired.session.stop(); // the browser writes the pairing itself out only when it closes
    const { session, listener } = await login.restore();
    const sent = await session.messaging.sendMessage(CONTACT, { type: 'text', text: 'then the power went' });
    const pid = login.browserPid();
    killProcessGroup(pid);
    await vi.waitFor(() => expect(runningInGroup(pid)).toEqual([]), WAIT);
    await vi.waitFor(() => expect(listener.onDisconnected).toHaveBeenCalledWith('browser_closed'), WAIT);
    await session.stop();

    const restarted = await login.restore();
    expect(
      await restarted.session.messaging.findSent!(CONTACT, { type: 'text', text: 'then the power went', since: sent.timestamp }),
    ).toEqual(foundAs(sent, await login.chatOf()));
  });
});
