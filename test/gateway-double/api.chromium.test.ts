/**
 * The Socket.IO API with the real engine: whatsapp-web.js in headless Chromium against the WhatsApp Web
 * double, once per profile of the double (legacy, the July 2026 message keys, and LID addressing). One
 * gateway (then a second one on the same DATA_DIR) and one paired session carry every assertion; the test
 * plays the phone through the browser's DevTools port.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOUBLE_PROFILES,
  DOUBLE_PROFILE_NAMES,
  deliverMessage,
  lidOf,
  logoutFromPhone,
  seenCalls,
  sentMessages,
  setAck,
  typingCalls,
  type DoubleProfile,
} from '../../double/harness';
import type { GatewayClient } from '../../src/client/gateway-client';
import { makeTempRoot } from '../support/sandbox-gateway';
import { PNG_BASE64, waitUntil, closeAndCheckClean } from './support';
import { chromiumProcesses, expectNoChromium } from '../../double/processes';
import { hasBrowser, phone, scanFromPhone, startDoubleGateway, type DoubleGateway, type EventLog, type Phone } from '../../double/gateway';

const SESSION = 'api';
const CONTACT = '6281111111111';
const CONTACT_ID = `${CONTACT}@c.us`;
const NOBODY = '6281111111000'; // the double's rule: numbers ending in 000 are not on WhatsApp

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'Socket.IO API with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    const byLid = profile === '2026-07-lid';
    let root: string;
    /** Where the contact's messages live: their LID chat on the LID profile. */
    let contactChat: string;
    let gw: DoubleGateway | undefined;
    /** Only listens: requests are answered with events too, which would blur the status sequences. */
    let log: EventLog;
    let api: GatewayClient;
    let device: Phone | undefined;
    let dataDir: string;

    const start = async () => {
      // QR refresh every 1.5 s (the real site: 20 s), so attempt 2 comes quickly; plenty of attempts allowed.
      gw = await startDoubleGateway(root, { QR_MAX_ATTEMPTS: '100', AUTO_LOAD_SESSIONS: 'true' }, { qrRefreshMs: 1500, profile });
      dataDir = gw.dataDir;
      log = await gw.client();
      api = (await gw.client()).client;
      return gw;
    };

    beforeAll(async () => {
      root = await makeTempRoot();
      await start();
    });

    afterAll(async () => {
      await device?.disconnect();
      await closeAndCheckClean(gw, root);
    });

    it('delivers the QR as a PNG data URL, refreshes it, and connects once the phone scans it', async () => {
      const asked = Date.now();
      const status = await api.startSession(SESSION);
      expect(status).toMatchObject({ sessionId: SESSION, status: 'starting' });

      const first = await log.next('qr_code', (q) => q.sessionId === SESSION);
      expect(first.attempt).toBe(1);
      expect(first.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
      expect(Buffer.from(first.qrCode.split(',')[1]!, 'base64').subarray(1, 4).toString()).toBe('PNG');
      expect(first.qr.split(',')).toHaveLength(5); // ref,noiseKey,identityKey,advSecret,platform
      expect(first.at - asked).toBeLessThan(10_000);

      const second = await log.next('qr_code', (q) => q.sessionId === SESSION && q.attempt === 2);
      expect(second.qr).not.toBe(first.qr);
      expect((await api.getSessionStatus(SESSION)).qrCode).toBe(second.qrCode);

      device = await phone(dataDir, SESSION);
      contactChat = byLid ? await lidOf(device.page, CONTACT) : CONTACT_ID;
      await scanFromPhone(device);
      const connected = await log.next('session_connected', (c) => c.sessionId === SESSION);
      const webVersion = DOUBLE_PROFILES[profile];
      expect(connected).toMatchObject({ sessionId: SESSION, phoneNumber: '15550001234', pushname: 'Double', webVersion });
      expect(await api.getSessionStatus(SESSION)).toMatchObject({
        status: 'connected',
        isConnected: true,
        phoneNumber: '15550001234',
        webVersion,
      });
      expect(log.statuses(SESSION)).toEqual(['starting', 'qr', 'connected']);
    });

    it('sends text and every media type; the double records what WhatsApp would have received', async () => {
      const after = log.mark();
      const text = await api.sendMessage({ sessionId: SESSION, to: `+62 811-1111-1111`, message: 'hello from the gateway' });
      expect(text).toMatchObject({ chatId: contactChat, type: 'text' });
      expect(text.messageId).toMatch(new RegExp(`^true_${contactChat}_3EB0[0-9A-F]{16}$`));

      const image = await api.sendMessage({ sessionId: SESSION, to: CONTACT, type: 'image', media: 'photo.jpg', caption: 'a photo' });
      const video = await api.sendMessage({ sessionId: SESSION, to: CONTACT, type: 'video', media: 'clip.mp4', message: 'a clip' });
      const document = await api.sendMessage({
        sessionId: SESSION,
        to: CONTACT,
        type: 'document',
        media: 'report.pdf',
        fileName: 'Q3 report.pdf',
        caption: 'the report',
      });
      const audio = await api.sendMessage({ sessionId: SESSION, to: CONTACT, type: 'audio', media: 'voice.ogg' });
      const size = (name: string) => Buffer.byteLength(`fixture ${name}`);

      const recorded = await sentMessages(device!.page);
      expect(recorded).toHaveLength(5);
      expect(recorded.map((m) => m.id)).toEqual([text, image, video, document, audio].map((m) => m.messageId));
      expect(recorded[0]).toMatchObject({ to: contactChat, type: 'chat', body: 'hello from the gateway' });
      expect(log.since('send_error', SESSION, after)).toEqual([]);
      expect(recorded[1]).toMatchObject({
        type: 'image',
        mimetype: 'image/jpeg',
        filename: 'photo.jpg',
        caption: 'a photo',
        size: size('photo.jpg'),
        isVoice: false,
        asDocument: false,
      });
      expect(recorded[2]).toMatchObject({
        type: 'video',
        mimetype: 'video/mp4',
        filename: 'clip.mp4',
        caption: 'a clip',
        asDocument: false,
      });
      expect(recorded[3]).toMatchObject({
        type: 'document',
        mimetype: 'application/pdf',
        filename: 'Q3 report.pdf',
        caption: 'the report',
        asDocument: true,
        isVoice: false,
      });
      expect(recorded[4]).toMatchObject({ type: 'ptt', mimetype: 'audio/ogg', filename: 'voice.ogg', isVoice: true, asDocument: false });
      expect(await seenCalls(device!.page)).toEqual([]); // sending does not mark the chat read

      await expect(api.sendMessage({ sessionId: SESSION, to: NOBODY, message: 'anyone?' })).rejects.toMatchObject({
        code: 'not_on_whatsapp',
      });
    });

    it('reports acks as server, device and read', async () => {
      const after = log.mark();
      const sent = await api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'ack me' });
      for (const [ack, status] of [
        [1, 'server'],
        [2, 'device'],
        [3, 'read'],
      ] as const) {
        await setAck(device!.page, sent.messageId, ack);
        await log.next('message_ack', (a) => a.messageId === sent.messageId && a.ack === status, { after });
      }
      expect(log.since('message_ack', SESSION, after).map((a) => a.ack)).toEqual(['server', 'device', 'read']);

      // WhatsApp Web's failure acks run from -7 to -1; 5 (PEER) has no documented meaning: logged, not passed on.
      const failed = await api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'too big, say' });
      await setAck(device!.page, failed.messageId, -4);
      await log.next('message_ack', (a) => a.messageId === failed.messageId && a.ack === 'error', { after });
      await setAck(device!.page, failed.messageId, 5);
      await waitUntil('the unknown ack to be logged', () => gw!.logs.find((l) => l.msg === 'unknown message ack' && l.ack === 5));
      expect(log.since('message_ack', SESSION, after).filter((a) => a.messageId === failed.messageId)).toHaveLength(1);
    });

    it('receives text and media as message_received', async () => {
      const after = log.mark();
      const textId = await deliverMessage(device!.page, { from: CONTACT_ID, body: 'hi gateway' });
      const text = await log.next('message_received', (m) => m.message.id === textId, { after });
      expect(text.message).toMatchObject({
        from: CONTACT,
        chatId: contactChat,
        text: 'hi gateway',
        type: 'text',
        hasMedia: false,
        isGroup: false,
        key: { remoteJid: contactChat, fromMe: false, id: textId.split('_')[2] },
      });
      expect(text.message.fromLid).toBe(byLid ? contactChat : undefined);

      const media = [
        { mimetype: 'image/png', type: 'image', caption: 'look' },
        { mimetype: 'video/mp4', type: 'video', caption: 'watch' },
        { mimetype: 'audio/ogg', type: 'audio', caption: undefined },
        { mimetype: 'application/pdf', type: 'document', caption: 'read this', filename: 'doc.pdf' },
      ] as const;
      for (const item of media) {
        const id = await deliverMessage(device!.page, {
          from: CONTACT_ID,
          media: { mimetype: item.mimetype, data: PNG_BASE64, ...('filename' in item && { filename: item.filename }) },
          ...(item.caption && { caption: item.caption }),
        });
        const received = await log.next('message_received', (m) => m.message.id === id, { after });
        expect(received.message).toMatchObject({ type: item.type, hasMedia: true, from: CONTACT });
        if (item.caption) expect(received.message.text).toBe(item.caption);
      }
      const voice = await deliverMessage(device!.page, {
        from: CONTACT_ID,
        media: { mimetype: 'audio/ogg', data: PNG_BASE64 },
        type: 'ptt',
      });
      expect((await log.next('message_received', (m) => m.message.id === voice, { after })).message).toMatchObject({
        type: 'audio',
        hasMedia: true,
      });
    });

    it('checks numbers (000 rule), reads profiles, sends typing and read receipts', async () => {
      expect(await api.checkPhoneNumber(SESSION, CONTACT)).toEqual({
        sessionId: SESSION,
        phoneNumber: CONTACT,
        exists: true,
        jid: CONTACT_ID,
        ...(byLid && { lid: contactChat }),
      });
      expect(await api.checkPhoneNumber(SESSION, NOBODY)).toMatchObject({ exists: false, jid: null });

      const profile = await api.getProfileInfo(SESSION, CONTACT);
      expect(profile.profileInfo).toMatchObject({
        jid: CONTACT_ID,
        about: 'Hey there! I am using WhatsApp.',
        isBusiness: false,
      });
      expect(profile.profileInfo.profilePicUrl).toMatch(/^https:\/\/pps\.whatsapp\.net\//);

      await api.sendTyping(SESSION, CONTACT, true);
      await api.sendTyping(SESSION, CONTACT, false);
      expect((await typingCalls(device!.page)).map(({ chatId, state }) => ({ chatId, state }))).toEqual([
        { chatId: contactChat, state: 'typing' },
        { chatId: contactChat, state: 'stop' },
      ]);

      const after = log.mark();
      const id = await deliverMessage(device!.page, { from: CONTACT_ID, body: 'read me' });
      const incoming = await log.next('message_received', (m) => m.message.id === id, { after });
      await api.readMessage(SESSION, incoming.message.key);
      await api.readMessage(SESSION, incoming.message.id);
      expect((await seenCalls(device!.page)).map((s) => s.chatId)).toEqual([contactChat, contactChat]);
    });

    it('restores the stored login after a gateway restart: connected again without any QR', async () => {
      await device!.disconnect();
      device = undefined;
      await gw!.close();
      gw = undefined;
      await expectNoChromium(dataDir);
      expect(existsSync(path.join(dataDir, `session-${SESSION}`))).toBe(true);

      // AUTO_LOAD_SESSIONS: the new gateway launches the stored session itself, before this client connects
      // (a browser takes over a second to come up; the QR counter in /metrics covers the gap anyway).
      await start();
      const connected = await log.next('session_connected', (c) => c.sessionId === SESSION);
      expect(connected).toMatchObject({ phoneNumber: '15550001234', pushname: 'Double' });
      expect(log.since('qr_code')).toEqual([]);
      const metrics = await (await fetch(`${gw!.gateway.url}/metrics`)).text();
      expect(metrics).not.toMatch(/^wa_qr_codes_total\{/m);
      expect(await api.getAvailableSessions()).toEqual([{ sessionId: SESSION, isActive: true }]);

      device = await phone(dataDir, SESSION);
      const sent = await api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'after the restart' });
      expect((await sentMessages(device.page)).map((m) => m.id)).toEqual([sent.messageId]);
    });

    it('a logout from the phone ends the session: logged_out, profile folder removed, nothing stored, no browser', async () => {
      const after = log.mark();
      await logoutFromPhone(device!.page);
      const disconnected = await log.next('session_disconnected', (d) => d.sessionId === SESSION, { after });
      expect(disconnected.reason).toBe('logged_out');
      await device!.disconnect();
      device = undefined;
      expect(log.statuses(SESSION, after)).toEqual(['disconnected']);
      await waitUntil('the profile folder to go', () => !existsSync(path.join(dataDir, `session-${SESSION}`)), 15_000);
      expect(await api.getAvailableSessions()).toEqual([]);
      await waitUntil('no Chromium left', () => chromiumProcesses(dataDir).length === 0, 15_000);
      expect(log.since('qr_code', SESSION, after)).toEqual([]); // the library's QR after the logout is not passed on
    });
  },
);
