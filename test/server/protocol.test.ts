/**
 * Every row of the protocol table, over both transports, against the real
 * server with the sandbox engine: success events, ack form and error codes.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayRequestError, type GatewayClient } from '../../src/client/gateway-client';
import { sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-engine';
import { collect, nextEvent, rawRequest, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const PEER = '6282284316465';

describe.each(['websocket', 'polling'] as const)('protocol over %s', (transport) => {
  let gateway: TestGateway;
  let client: GatewayClient;
  const sessionId = `s-${transport}`;

  beforeAll(async () => {
    gateway = await startSandboxGateway();
    client = await gateway.client({ transports: [transport] });
  });
  afterAll(() => gateway.shutdown());

  it('start_session: status starting, a QR image, then connected', async () => {
    const status = nextEvent(client, 'session_status', (p) => p.sessionId === sessionId && p.status === 'starting');
    const qr = nextEvent(client, 'qr_code', (p) => p.sessionId === sessionId);
    const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === sessionId);

    const answer = await client.startSession(sessionId);

    expect(answer).toMatchObject({ sessionId, status: 'starting', isConnected: false });
    expect(await status).toMatchObject({ status: 'starting' });
    const qrPayload = await qr;
    expect(qrPayload.qrCode).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/);
    expect(qrPayload.qr).toMatch(/^2@/);
    expect(qrPayload.attempt).toBe(1);
    expect(await connected).toEqual({
      sessionId,
      phoneNumber: sandboxPhoneNumber(sessionId),
      pushname: `Sandbox ${sessionId}`,
      seq: expect.any(Number),
    });
  });

  it('start_session on a running session answers its status without restarting it', async () => {
    const statuses = collect(client, 'session_status');
    const connects = collect(client, 'session_connected');
    const answer = await client.startSession(sessionId);
    expect(answer).toMatchObject({ status: 'connected', isConnected: true, phoneNumber: sandboxPhoneNumber(sessionId) });
    // A restart announces itself with status "starting" at once; one more round trip lets any such status arrive first.
    expect(await client.getSessionStatus(sessionId)).toMatchObject({ status: 'connected' });
    expect(statuses.map((s) => s.status).filter((status) => status !== 'connected')).toEqual([]);
    expect(connects).toEqual([]);
  });

  it('send_whatsapp_message (text): message_sent with a WhatsApp id, acks, then the echo', async () => {
    const sentEvent = nextEvent(client, 'message_sent', (p) => p.clientMessageId === 'c1');
    const echo = nextEvent(client, 'message_received', (p) => p.message.text === 'echo: Hello World!');
    const sent = await client.sendMessage({ sessionId, to: PEER, message: 'Hello World!', type: 'text', clientMessageId: 'c1' });

    expect(sent).toMatchObject({
      sessionId,
      to: PEER,
      chatId: `${PEER}@c.us`,
      message: 'Hello World!',
      type: 'text',
      clientMessageId: 'c1',
    });
    expect(sent.messageId).toBeTruthy();
    expect(await sentEvent).toEqual(sent);
    const acks = await Promise.all(
      (['server', 'device', 'read'] as const).map((ack) =>
        nextEvent(client, 'message_ack', (p) => p.messageId === sent.messageId && p.ack === ack),
      ),
    );
    expect(acks.map((a) => a.ack)).toEqual(['server', 'device', 'read']);
    const received = await echo;
    expect(received.message).toMatchObject({ from: PEER, chatId: `${PEER}@c.us`, type: 'text', isGroup: false, hasMedia: false });
    expect(received.message.key).toMatchObject({ remoteJid: `${PEER}@c.us`, fromMe: false });
    expect(Math.abs(received.message.timestamp - Date.now())).toBeLessThan(10_000);
  });

  it.each([
    ['image', 'photo.jpg'],
    ['video', 'clip.mp4'],
    ['document', 'report.pdf'],
    ['audio', 'voice.ogg'],
  ] as const)('send_whatsapp_message (%s) from MEDIA_DIR', async (type, media) => {
    const echo = nextEvent(client, 'message_received', (p) => p.message.text === `echo: ${type}`);
    const sent = await client.sendMessage({ sessionId, to: `+62 822-8431-6465`, type, media, caption: 'look' });
    expect(sent).toMatchObject({ type, message: 'look', chatId: `${PEER}@c.us` });
    await echo;
  });

  it.each([
    [{ type: 'image', media: 'missing.jpg' }, 'media_not_found'],
    [{ type: 'image', media: '../outside.jpg' }, 'media_forbidden'],
    [{ type: 'image', media: '/etc/passwd' }, 'media_forbidden'],
    [{ type: 'image', media: 'setup.exe' }, 'unsupported_type'],
    [{ type: 'text', message: 'hi', to: '6281234567000' }, 'not_on_whatsapp'],
    [{ type: 'text', message: 'hi', to: 'not-a-number' }, 'invalid_number'],
  ] as const)('send_whatsapp_message %j → send_error %s', async (fields, code) => {
    const request = { sessionId, to: PEER, clientMessageId: `bad-${code}`, ...fields };
    const errorEvent = nextEvent(client, 'send_error', (p) => p.clientMessageId === request.clientMessageId);
    await expect(client.sendMessage(request)).rejects.toMatchObject({ code });
    expect(await errorEvent).toMatchObject({ sessionId, to: request.to, code });
  });

  it('refuses a symlink that escapes MEDIA_DIR', async () => {
    const outside = path.join(gateway.root, 'secret.jpg');
    await fs.writeFile(outside, 'secret');
    await fs.symlink(outside, path.join(gateway.config.mediaDir, `link-${transport}.jpg`));
    await expect(client.sendMessage({ sessionId, to: PEER, type: 'image', media: `link-${transport}.jpg` })).rejects.toMatchObject({
      code: 'media_forbidden',
    });
  });

  it('check_phone_number: registered, unregistered and malformed', async () => {
    const result = nextEvent(client, 'phone_check_result', (p) => p.phoneNumber === PEER);
    expect(await client.checkPhoneNumber(sessionId, PEER)).toEqual({ sessionId, phoneNumber: PEER, exists: true, jid: `${PEER}@c.us` });
    await result;
    expect(await client.checkPhoneNumber(sessionId, '6281234567000')).toMatchObject({ exists: false, jid: null });
    const error = nextEvent(client, 'phone_check_error', (p) => p.phoneNumber === '12ab');
    await expect(client.checkPhoneNumber(sessionId, '12ab')).rejects.toMatchObject({ code: 'invalid_number' });
    expect(await error).toMatchObject({ sessionId, code: 'invalid_number' });
  });

  it('get_profile_info answers the contact profile', async () => {
    const event = nextEvent(client, 'profile_info');
    const info = await client.getProfileInfo(sessionId, PEER);
    expect(info).toEqual({
      sessionId,
      phoneNumber: PEER,
      profileInfo: {
        jid: `${PEER}@c.us`,
        name: 'Contact 6465',
        pushname: 'Contact 6465',
        about: expect.any(String),
        profilePicUrl: null,
        isBusiness: false,
      },
    });
    expect(await event).toEqual(info);
  });

  it('send_typing answers typing_state', async () => {
    const event = nextEvent(client, 'typing_state');
    expect(await client.sendTyping(sessionId, PEER, true)).toEqual({ sessionId, to: PEER, isTyping: true, state: 'typing' });
    expect(await event).toEqual({ sessionId, to: PEER, isTyping: true, state: 'typing' });
    expect(await client.sendTyping(sessionId, PEER, false)).toMatchObject({ isTyping: false, state: 'paused' });
    expect(await client.sendTyping(sessionId, PEER, 'recording')).toMatchObject({ isTyping: true, state: 'recording' });
  });

  it('read_message takes a received message key or its id', async () => {
    const received = nextEvent(client, 'message_received', (p) => p.message.text === 'read me');
    const injected = await client.request('sandbox_inject_message', { sessionId, from: PEER, text: 'read me' });
    const { message } = await received;
    expect(injected.message).toEqual(message);
    const event = nextEvent(client, 'message_read');
    expect(await client.readMessage(sessionId, message.key)).toEqual({ sessionId, messageKey: message.key });
    expect(await event).toMatchObject({ sessionId });
    expect(await client.readMessage(sessionId, message.id)).toEqual({ sessionId, messageKey: message.id });
    await expect(client.readMessage(sessionId, 'garbage')).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('get_session_status, get_active_sessions and get_available_sessions', async () => {
    expect(await client.getSessionStatus(sessionId)).toMatchObject({ sessionId, status: 'connected', isConnected: true });
    expect(await client.getSessionStatus('nobody')).toEqual({ sessionId: 'nobody', status: 'not_found', isConnected: false });
    const active = nextEvent(client, 'active_sessions');
    expect(await client.getActiveSessions()).toEqual([
      { sessionId, status: 'connected', isConnected: true, queueDepth: 0, phoneNumber: sandboxPhoneNumber(sessionId) },
    ]);
    expect(await active).toHaveLength(1);
    expect(await client.getAvailableSessions()).toEqual([{ sessionId, isActive: true }]);
  });

  it('stop_session keeps the stored login; load_sessions_from_storage brings it back without a QR', async () => {
    const disconnected = nextEvent(client, 'session_disconnected', (p) => p.sessionId === sessionId);
    expect(await client.stopSession(sessionId)).toEqual({ sessionId, reason: 'stopped' });
    expect(await disconnected).toEqual({ sessionId, reason: 'stopped', seq: expect.any(Number) });
    expect(await client.getSessionStatus(sessionId)).toMatchObject({ status: 'stopped', isConnected: false });
    expect(await client.getAvailableSessions()).toEqual([{ sessionId, isActive: false }]);
    expect(await client.getActiveSessions()).toEqual([]);
    await expect(client.stopSession(sessionId)).rejects.toMatchObject({ code: 'session_not_found' });

    const qrCodes = collect(client, 'qr_code');
    const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === sessionId);
    const loadedEvent = nextEvent(client, 'sessions_loaded');
    expect(await client.loadSessionsFromStorage()).toEqual({ loaded: [sessionId], alreadyActive: [], failed: [] });
    await loadedEvent;
    await connected;
    expect(qrCodes).toHaveLength(0);
    expect(await client.loadSessionsFromStorage()).toEqual({ loaded: [], alreadyActive: [sessionId], failed: [] });
  });

  it('subscribe narrows and widens the session events a connection receives', async () => {
    const other = await gateway.client({ transports: [transport] });
    expect(await other.subscribe(['someone-else'])).toEqual({ sessionIds: ['someone-else'] });
    const seenByOther = collect(other, 'message_received');
    const seenByMain = nextEvent(client, 'message_received', (p) => p.message.text === 'only for followers');
    await client.request('sandbox_inject_message', { sessionId, from: PEER, text: 'only for followers' });
    await seenByMain;
    await other.getActiveSessions(); // the gateway sends an event to all its followers at once, so other's would come before this answer
    expect(seenByOther).toHaveLength(0);

    await other.subscribe([sessionId]);
    const now = nextEvent(other, 'message_received', (p) => p.message.text === 'now you see it');
    await client.request('sandbox_inject_message', { sessionId, from: PEER, text: 'now you see it' });
    await now;
    await other.subscribe('*');
    const again = nextEvent(other, 'message_received', (p) => p.message.text === 'everyone');
    await client.request('sandbox_inject_message', { sessionId, from: PEER, text: 'everyone' });
    await again;
  });

  it('logout_session deletes the stored login', async () => {
    const disconnected = nextEvent(client, 'session_disconnected', (p) => p.reason === 'logged_out');
    expect(await client.logoutSession(sessionId)).toEqual({ sessionId, reason: 'logged_out' });
    await disconnected;
    expect(await client.getAvailableSessions()).toEqual([]);
    expect(await client.getSessionStatus(sessionId)).toMatchObject({ status: 'not_found' });
    await expect(client.logoutSession(sessionId)).rejects.toMatchObject({ code: 'session_not_found' });
  });

  it('requests on missing or unconnected sessions fail with their codes', async () => {
    await expect(client.sendMessage({ sessionId: 'ghost', to: PEER, message: 'x' })).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(client.sendTyping('ghost', PEER, true)).rejects.toBeInstanceOf(GatewayRequestError);
    const slow = await startSandboxGateway({ SANDBOX_SCAN_MS: '60000' });
    try {
      const waiting = await slow.client({ transports: [transport] });
      const qr = nextEvent(waiting, 'qr_code');
      await waiting.startSession('waiting');
      await qr;
      await expect(waiting.sendMessage({ sessionId: 'waiting', to: PEER, message: 'x' })).rejects.toMatchObject({
        code: 'session_not_connected',
      });
      const status = await waiting.getSessionStatus('waiting');
      expect(status).toMatchObject({ status: 'qr', isConnected: false, qrCode: expect.stringMatching(/^data:image\/png/) });
      const again = nextEvent(waiting, 'qr_code');
      expect(await waiting.startSession('waiting')).toMatchObject({ status: 'qr' });
      expect((await again).attempt).toBe(1);
    } finally {
      await slow.shutdown();
    }
  });

  it('answers events without an ack through the error event', async () => {
    const error = nextEvent(client, 'session_error', (p) => p.event === 'stop_session');
    client.socket.emit('stop_session', { sessionId: 'never-started' });
    expect(await error).toMatchObject({ sessionId: 'never-started', code: 'session_not_found', event: 'stop_session' });
  });

  it.each([
    ['start_session', [undefined, 42, { sessionId: '../etc' }, { sessionId: 'x'.repeat(65) }, { sessionId: ['a'] }]],
    ['stop_session', [null, 'abc', { sessionId: '' }, { id: 'a' }]],
    ['logout_session', [[], { sessionId: 'a b' }, { sessionId: 7 }]],
    [
      'send_whatsapp_message',
      [
        { sessionId: 'a', to: PEER },
        { sessionId: 'a', to: PEER, message: 'x', type: 'sticker' },
        { sessionId: 'a', to: PEER, type: 'image' },
        { sessionId: 'a', to: 5, message: 'x' },
        { sessionId: 'a', to: PEER, message: 'x'.repeat(70_000) },
      ],
    ],
    ['check_phone_number', [{ sessionId: 'a' }, { sessionId: 'a', phoneNumber: 123 }, 'a']],
    ['get_profile_info', [{ phoneNumber: PEER }, { sessionId: 'a', phoneNumber: {} }, true]],
    [
      'send_typing',
      [
        { sessionId: 'a', to: PEER },
        { sessionId: 'a', to: PEER, isTyping: 'yes' },
        { sessionId: 'a', isTyping: true },
      ],
    ],
    ['read_message', [{ sessionId: 'a' }, { sessionId: 'a', messageKey: 5 }, { sessionId: 'a', messageKey: { id: 'x' } }]],
    ['get_session_status', [{}, { sessionId: null }, 'status']],
    ['get_active_sessions', ['x', 5, [1]]],
    ['load_sessions_from_storage', ['x', 5, [1]]],
    ['get_available_sessions', ['x', 5, [1]]],
    ['subscribe', [{}, { sessionIds: 'all' }, { sessionIds: ['bad id'] }]],
    [
      'sandbox_inject_message',
      [
        { sessionId: 'a', from: PEER },
        { sessionId: 'a', text: 'x' },
        { sessionId: 'a', from: PEER, text: 5 },
      ],
    ],
  ] as const)('%s refuses malformed payloads with invalid_payload', async (event, payloads) => {
    for (const payload of payloads) {
      const answer = await rawRequest(client, event, payload);
      expect(answer, JSON.stringify(payload)?.slice(0, 80)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload', message: expect.any(String) },
      });
    }
  });
});
