/**
 * Resuming over the wire: `auth.since` in the handshake, `subscribe` with `since`, and Socket.IO's
 * connection state recovery, with plain socket.io-client sockets (what any bot would use).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import type { ServerPayload } from '../../src/protocol/events';
import {
  injectMessages as inject,
  makeTempRoot,
  NO_RATE_LIMITS,
  nextEvent,
  startSandboxGateway,
  type TestGateway,
} from '../support/sandbox-gateway';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const SHOP_KEY = 'shop-key-0123456789abcdef';
const PEER = '6282284316465';

type Received = ServerPayload<'message_received'>;

/** A raw socket and every message_received / subscribed it got, in arrival order. */
function follower(gateway: TestGateway, auth: Record<string, unknown>) {
  const socket: Socket = io(gateway.url, { path: '/ws', transports: ['websocket'], auth: { token: ADMIN_KEY, ...auth } });
  const messages: Received[] = [];
  const subscribed: Array<ServerPayload<'subscribed'>> = [];
  const errors: Array<ServerPayload<'session_error'>> = [];
  socket.on('message_received', (payload: Received) => messages.push(payload));
  socket.on('subscribed', (payload: ServerPayload<'subscribed'>) => subscribed.push(payload));
  socket.on('session_error', (payload: ServerPayload<'session_error'>) => errors.push(payload));
  sockets.push(socket);
  return { socket, messages, subscribed, errors, texts: () => messages.map((m) => m.message.text) };
}

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

describe('resuming a session with since', () => {
  let gateway: TestGateway;
  let controller: GatewayClient;

  beforeAll(async () => {
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    await fs.writeFile(keysFile, JSON.stringify({ [SHOP_KEY]: ['shop'] }));
    gateway = await startSandboxGateway(
      { API_KEY: ADMIN_KEY, API_KEYS_FILE: keysFile, SANDBOX_ECHO: '0', RECOVERY_WINDOW_MS: '0', ...NO_RATE_LIMITS },
      root,
    );
    controller = await gateway.client({ token: ADMIN_KEY, requestsPerSecond: 100_000, burst: 100_000 });
    for (const sessionId of ['bot', 'shop']) {
      const connected = nextEvent(controller, 'session_connected', (p) => p.sessionId === sessionId);
      await controller.startSession(sessionId);
      await connected;
    }
  });
  afterAll(() => gateway.shutdown());

  it('in the handshake: what came after `since`, in order and marked replayed, then `subscribed`, then live events', async () => {
    const missed = await inject(controller, 'bot', ['one', 'two', 'three', 'four']);
    const since = missed[0]!.seq!;
    const bot = follower(gateway, { since: { bot: since } });
    await vi.waitFor(() => expect(bot.subscribed).toHaveLength(1));
    expect(bot.texts()).toEqual(['two', 'three', 'four']);
    expect(bot.messages.map((m) => m.seq)).toEqual([since + 1, since + 2, since + 3]);
    expect(bot.messages.every((m) => m.replayed)).toBe(true);
    expect(bot.subscribed[0]).toEqual({ sessionIds: '*', replayed: { bot: { events: 3, lastSeq: since + 3, truncated: false } } });

    await inject(controller, 'bot', ['live']);
    await vi.waitFor(() => expect(bot.texts().at(-1)).toBe('live'));
    expect(bot.messages.at(-1)).not.toHaveProperty('replayed');
    expect(bot.messages.at(-1)!.seq).toBe(since + 4);
  });

  it('gives every event once, in seq order, to a connection resuming while messages keep arriving', async () => {
    const backlog = await inject(
      controller,
      'bot',
      Array.from({ length: 2000 }, (_, i) => `backlog ${i}`),
    );
    let keepGoing = true;
    const trickle = (async () => {
      for (let i = 0; keepGoing; i += 1)
        await controller.request('sandbox_inject_message', { sessionId: 'bot', from: PEER, text: `during ${i}` });
    })();
    const bot = follower(gateway, { since: { bot: backlog[0]!.seq! - 1 } });
    await vi.waitFor(() => expect(bot.subscribed).toHaveLength(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(bot.messages.filter((m) => !m.replayed).length).toBeGreaterThan(5));
    keepGoing = false;
    await trickle;
    const last = (await inject(controller, 'bot', ['last']))[0]!.seq!;
    await vi.waitFor(() => expect(bot.texts().at(-1)).toBe('last'));
    const first = backlog[0]!.seq!;
    expect(bot.messages.map((m) => m.seq)).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
    expect(bot.messages.filter((m) => m.replayed).length).toBe(bot.subscribed[0]!.replayed!.bot!.events);
  });

  it('with subscribe on a connection that follows already: only the older events it lacks, none twice', async () => {
    const older = await inject(controller, 'bot', ['old 1', 'old 2']);
    const bot = follower(gateway, {});
    await new Promise<void>((resolve) => bot.socket.once('connect', resolve));
    await inject(controller, 'bot', ['live 1']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['live 1']));

    const answer = await bot.socket.emitWithAck('subscribe', { sessionIds: '*', since: { bot: older[0]!.seq! - 1 } });
    // It has everything up to 'live 1' now: the two it lacked, and the one it got live.
    const upTo = older[1]!.seq! + 1;
    expect(answer).toEqual({ ok: true, data: { sessionIds: '*', replayed: { bot: { events: 2, lastSeq: upTo, truncated: false } } } });
    expect(bot.texts()).toEqual(['live 1', 'old 1', 'old 2']);
    const again = await bot.socket.emitWithAck('subscribe', { sessionIds: '*', since: { bot: older[0]!.seq! - 1 } });
    expect(again.data.replayed.bot.events).toBe(0);
    await inject(controller, 'bot', ['live 2']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['live 1', 'old 1', 'old 2', 'live 2']));
  });

  it('with subscribe on a connection that follows already, from a seq the log never reached (its store was reset): the log from its start, as in the handshake', async () => {
    const last = (await inject(controller, 'bot', ['newest']))[0]!.seq!;
    const beyond = { bot: last + 1000 };
    const byHandshake = follower(gateway, { since: beyond });
    await vi.waitFor(() => expect(byHandshake.subscribed).toHaveLength(1), { timeout: 10_000 });
    const bot = follower(gateway, {});
    await new Promise<void>((resolve) => bot.socket.once('connect', resolve));

    const answer = await bot.socket.emitWithAck('subscribe', { sessionIds: '*', since: beyond });
    expect(answer.data.replayed.bot).toEqual(byHandshake.subscribed[0]!.replayed!.bot);
    expect(answer.data.replayed.bot).toMatchObject({ lastSeq: last, truncated: true });
    expect(bot.messages.map((m) => m.seq)).toEqual(byHandshake.messages.map((m) => m.seq));
    expect(bot.messages.at(-1)!.seq).toBe(last);
  });

  it('replays nothing of a session outside the key scope', async () => {
    await inject(controller, 'bot', ['not for the shop']);
    const shop = follower(gateway, { token: SHOP_KEY, since: { bot: 0, shop: 0 } });
    await vi.waitFor(() => expect(shop.subscribed).toHaveLength(1));
    expect(Object.keys(shop.subscribed[0]!.replayed!)).toEqual(['shop']);
    expect(shop.messages.filter((m) => m.sessionId === 'bot')).toEqual([]);
  });

  it('answers a malformed auth.since with session_error and follows live', async () => {
    const bot = follower(gateway, { since: { bot: -1 } });
    await vi.waitFor(() => expect(bot.errors).toHaveLength(1));
    expect(bot.errors[0]).toMatchObject({ event: 'subscribe', code: 'invalid_payload', message: expect.stringMatching(/^auth\.since/) });
    await inject(controller, 'bot', ['still live']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['still live']));
  });
});

describe("Socket.IO's connection state recovery", () => {
  let gateway: TestGateway;
  let controller: GatewayClient;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ API_KEY: ADMIN_KEY, SANDBOX_ECHO: '0', RECOVERY_WINDOW_MS: '60000' });
    controller = await gateway.client({ token: ADMIN_KEY });
    const connected = nextEvent(controller, 'session_connected');
    await controller.startSession('bot');
    await connected;
  });
  afterAll(() => gateway.shutdown());

  it('gives a connection that dropped for a moment the events it missed, once, without a replay', async () => {
    const bot = follower(gateway, {});
    await new Promise<void>((resolve) => bot.socket.once('connect', resolve));
    await inject(controller, 'bot', ['before the drop']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['before the drop']));

    const reconnected = new Promise<void>((resolve) => bot.socket.once('connect', () => resolve()));
    bot.socket.io.engine.close();
    await vi.waitFor(() => expect(bot.socket.connected).toBe(false));
    await inject(controller, 'bot', ['while away 1', 'while away 2']);
    await reconnected;
    expect(bot.socket.recovered).toBe(true);
    await inject(controller, 'bot', ['after']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['before the drop', 'while away 1', 'while away 2', 'after']));
    expect(bot.subscribed).toEqual([]);
  });

  it('keeps the events of a session whose only follower is the one away', async () => {
    const connectedClients = async () => {
      const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).text();
      return Number(/^wa_socket_clients (\d+)$/m.exec(metrics)?.[1]);
    };
    await controller.subscribe([]);
    const bot = follower(gateway, {});
    await new Promise<void>((resolve) => bot.socket.once('connect', resolve));
    await inject(controller, 'bot', ['before the drop']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['before the drop']));

    bot.socket.io.reconnectionDelay(200);
    const reconnected = new Promise<void>((resolve) => bot.socket.once('connect', () => resolve()));
    bot.socket.io.engine.close();
    // Until the gateway itself has seen the drop, the connection is still in the session's rooms.
    await vi.waitFor(async () => expect(await connectedClients()).toBe(1), { timeout: 5000 });
    await inject(controller, 'bot', ['while alone away']);
    await reconnected;
    expect(bot.socket.recovered).toBe(true);
    await inject(controller, 'bot', ['after']);
    await vi.waitFor(() => expect(bot.texts()).toEqual(['before the drop', 'while alone away', 'after']));
  });
});

describe('event filters (subscribe {events})', () => {
  let gateway: TestGateway;
  let controller: GatewayClient;
  /** Every packet the gateway encoded for a room, by event name. */
  const broadcast: string[] = [];
  const WITHOUT_ACKS = ['message_received', 'message_sent', 'send_error', 'session_connected', 'subscribed'] as const;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ API_KEY: ADMIN_KEY, SANDBOX_ECHO: '0', RECOVERY_WINDOW_MS: '0', ...NO_RATE_LIMITS });
    const adapter = gateway.io.of('/').adapter;
    const original = adapter.broadcast.bind(adapter);
    adapter.broadcast = (packet, opts) => {
      broadcast.push(String(packet.data[0]));
      original(packet, opts);
    };
    controller = await gateway.client({ token: ADMIN_KEY, events: [...WITHOUT_ACKS], requestsPerSecond: 100_000, burst: 100_000 });
    const connected = nextEvent(controller, 'session_connected');
    await controller.startSession('bot');
    await connected;
  });
  afterAll(() => gateway.shutdown());

  /** Sends a text and resolves once the sandbox has reported its read ack (50, 100, 150 ms after the send). */
  async function sendAndWaitForRead(watcher: Socket): Promise<string> {
    const read = new Promise<void>((resolve) => {
      const listener = (ack: ServerPayload<'message_ack'>) => {
        if (ack.ack !== 'read') return;
        watcher.off('message_ack', listener);
        resolve();
      };
      watcher.on('message_ack', listener);
    });
    const { messageId } = await controller.sendMessage({ sessionId: 'bot', to: PEER, message: 'filtered?' });
    await read;
    return messageId!;
  }

  it('leaves out what a connection did not ask for, while one without a filter gets everything', async () => {
    const everything = follower(gateway, {});
    const acks: unknown[] = [];
    const sent: unknown[] = [];
    const filtered = follower(gateway, {});
    filtered.socket.on('message_ack', (ack: unknown) => acks.push(ack));
    filtered.socket.on('message_sent', (payload: unknown) => sent.push(payload));
    await Promise.all([everything, filtered].map(({ socket }) => new Promise<void>((resolve) => socket.once('connect', resolve))));
    const answer = await filtered.socket.emitWithAck('subscribe', { sessionIds: '*', events: ['message_sent', 'message_received'] });
    expect(answer).toEqual({ ok: true, data: { sessionIds: '*', events: ['message_sent', 'message_received'] } });

    await sendAndWaitForRead(everything.socket);
    // The marker is published after the acks: once the filtered connection has it, it would have had them too.
    await inject(controller, 'bot', ['marker']);
    await vi.waitFor(() => expect(filtered.texts()).toEqual(['marker']));
    expect(sent).toHaveLength(1);
    expect(acks).toEqual([]);
  });

  it('does not encode an event that no connection wants', async () => {
    broadcast.length = 0;
    const only = follower(gateway, { events: [...WITHOUT_ACKS] });
    await new Promise<void>((resolve) => only.socket.once('connect', resolve));
    const watch = follower(gateway, { events: ['message_ack'] });
    await new Promise<void>((resolve) => watch.socket.once('connect', resolve));
    await watch.socket.emitWithAck('subscribe', { sessionIds: ['someone-else'], events: ['message_ack'] });

    await sendAndWaitForReadOf(only.socket);
    await inject(controller, 'bot', ['after the acks']);
    await vi.waitFor(() => expect(only.texts()).toEqual(['after the acks']));
    expect(broadcast).toContain('message_sent');
    expect(broadcast).not.toContain('message_ack');
  });

  /** Without a follower of the acks, the read ack is seen as the sandbox's sent record: its status read. */
  async function sendAndWaitForReadOf(socket: Socket): Promise<void> {
    const { messageId } = await controller.sendMessage({ sessionId: 'bot', to: PEER, message: 'nobody wants its acks' });
    await vi.waitFor(async () => {
      const status = await controller.request('get_message_status', { sessionId: 'bot', messageId: messageId! });
      expect(status.ack).toBe('read');
    });
    expect(socket.connected).toBe(true);
  }

  it('replays with the filter: a resume with since leaves out the events filtered, and counts only those sent', async () => {
    const [first] = await inject(controller, 'bot', ['before']);
    await sendAndWaitForReadOf(controller.socket as unknown as Socket);
    await inject(controller, 'bot', ['after']);
    const resumed = follower(gateway, { since: { bot: first!.seq! - 1 }, events: ['message_received', 'subscribed'] });
    const acks: unknown[] = [];
    resumed.socket.on('message_ack', (ack: unknown) => acks.push(ack));
    await vi.waitFor(() => expect(resumed.subscribed).toHaveLength(1));
    expect(resumed.texts()).toEqual(['before', 'after']);
    expect(resumed.subscribed[0]!.replayed!.bot!.events).toBe(2);
    expect(acks).toEqual([]);
  });

  it('never sends a left-out answer event; the ack still answers', async () => {
    const quiet = follower(gateway, {});
    const answers: unknown[] = [];
    quiet.socket.on('phone_check_result', (payload: unknown) => answers.push(payload));
    await new Promise<void>((resolve) => quiet.socket.once('connect', resolve));
    await quiet.socket.emitWithAck('subscribe', { sessionIds: '*', events: [] });
    const answer = await quiet.socket.emitWithAck('check_phone_number', { sessionId: 'bot', phoneNumber: PEER });
    expect(answer).toMatchObject({ ok: true, data: { exists: true } });
    const again = await quiet.socket.emitWithAck('check_phone_number', { sessionId: 'bot', phoneNumber: PEER });
    expect(again.ok).toBe(true);
    expect(answers).toEqual([]);
  });

  it("keeps the typed client's filter across a reconnect", async () => {
    const bot = await gateway.client({ token: ADMIN_KEY });
    const acks: unknown[] = [];
    const texts: string[] = [];
    bot.on('message_ack', (ack) => acks.push(ack));
    bot.on('message_received', ({ message }) => texts.push(message.text));
    await bot.subscribe('*', ['message_received']);
    const reconnected = new Promise<void>((resolve) => bot.socket.once('connect', () => resolve()));
    bot.socket.io.engine.close();
    await reconnected;

    const watcher = follower(gateway, {});
    await new Promise<void>((resolve) => watcher.socket.once('connect', resolve));
    await sendAndWaitForRead(watcher.socket);
    await inject(controller, 'bot', ['after the reconnect']);
    await vi.waitFor(() => expect(texts).toContain('after the reconnect'));
    expect(acks).toEqual([]);
  });

  it('refuses an unknown event name, in subscribe and in the handshake', async () => {
    const bot = follower(gateway, { events: ['message_received', 'no_such_event'] });
    await vi.waitFor(() => expect(bot.errors).toHaveLength(1));
    expect(bot.errors[0]).toMatchObject({ event: 'subscribe', code: 'invalid_payload', message: expect.stringMatching(/^auth\.events/) });
    const answer = await bot.socket.emitWithAck('subscribe', { sessionIds: '*', events: ['no_such_event'] });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringMatching(/^events\.0/) } });
  });
});
