/**
 * The project's own client against the real gateway: through a real restart of the gateway (issue 11,
 * break 3: it runs as `npm start` runs it, is stopped with SIGTERM and started again on the same
 * port), and resuming the event log (issue 13) when it was cut off or the gateway restarted.
 */
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect, type ConnectOptions, type GatewayClient } from '../../src/client/gateway-client';
import type { ServerPayload } from '../../src/protocol/events';
import { startMain, type GatewayProcess } from '../support/gateway-process';
import { injectMessages, makeTempRoot, NO_RATE_LIMITS, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const once = (client: GatewayClient, event: 'connect' | 'disconnect') =>
  new Promise<void>((resolve) => client.socket.once(event, () => resolve()));

describe('the client across a gateway restart', () => {
  const running = new Set<GatewayProcess>();
  let client: GatewayClient | undefined;

  async function gatewayOn(port: number, root: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
    const gateway = await startMain({
      PORT: String(port),
      WA_ENGINE: 'sandbox',
      DATA_DIR: path.join(root, 'data'),
      MEDIA_DIR: path.join(root, 'media'),
      ...env,
    });
    running.add(gateway);
    return gateway;
  }

  async function stop(gateway: GatewayProcess): Promise<void> {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    running.delete(gateway);
  }

  afterEach(async () => {
    client?.close();
    for (const gateway of running) await stop(gateway);
  });

  it('sends the backlog of an outage at its pace: nothing rate_limited, and it stays connected', async () => {
    const [port, root] = await Promise.all([freePort(), makeTempRoot()]);
    const limits = { RATE_LIMIT_PER_SEC: '10', RATE_LIMIT_BURST: '10' };
    const first = await gatewayOn(port, root, limits);
    client = connect(first.url, {
      requestsPerSecond: 8,
      burst: 8,
      timeoutMs: 20_000,
      socketOptions: { reconnectionDelay: 200, reconnectionDelayMax: 500 },
    });
    await once(client, 'connect');
    expect(await client.getActiveSessions()).toEqual([]);

    const disconnected = once(client, 'disconnect');
    await stop(first);
    await disconnected;
    // Four times the gateway's burst, asked for while it is down.
    const backlog = Promise.allSettled(Array.from({ length: 40 }, () => client!.getActiveSessions()));
    await gatewayOn(port, root, limits);

    const outcomes = await backlog;
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(client.socket.connected).toBe(true);
    await fs.rm(root, { recursive: true, force: true });
  }, 40_000);

  it('answers not_sent what it could not send in time, and never sends it later', async () => {
    const [port, root] = await Promise.all([freePort(), makeTempRoot()]);
    const first = await gatewayOn(port, root);
    client = connect(first.url, { timeoutMs: 500, socketOptions: { reconnectionDelay: 200, reconnectionDelayMax: 500 } });
    await once(client, 'connect');

    const disconnected = once(client, 'disconnect');
    await stop(first);
    await disconnected;
    await expect(client.startSession('ghost')).rejects.toMatchObject({ code: 'not_sent' });

    const reconnected = once(client, 'connect');
    await gatewayOn(port, root);
    await reconnected;
    expect(await client.getActiveSessions()).toEqual([]);
    await fs.rm(root, { recursive: true, force: true });
  }, 40_000);
});

describe('connected()', () => {
  it('resolves once connected (at once when it already is), and rejects with the refusal', async () => {
    const gateway = await startSandboxGateway({ API_KEY: 'connected-key-0123456789' });
    try {
      const good = connect(gateway.url, { token: 'connected-key-0123456789' });
      expect(await good.connected()).toBe(good);
      expect(good.socket.connected).toBe(true);
      await good.connected();
      good.close();
      const refused = connect(gateway.url, { token: 'wrong-key-0123456789abc', socketOptions: { reconnection: false } });
      await expect(refused.connected()).rejects.toThrow('unauthorized');
      refused.close();
    } finally {
      await gateway.shutdown();
    }
  });
});

const SESSION = 'bot';
const PEER = '6282284316465';
const FAST = { SANDBOX_ECHO: '0', ...NO_RATE_LIMITS };
const UNPACED = { requestsPerSecond: 100_000, burst: 100_000 };
const QUICK_RECONNECT = { reconnectionDelay: 50, reconnectionDelayMax: 100 };
const numbered = (label: string, count: number) => Array.from({ length: count }, (_, i) => `${label} ${i}`);

type Received = ServerPayload<'message_received'>;
type Heard = { event: 'message_received'; payload: Received } | { event: 'subscribed'; payload: ServerPayload<'subscribed'> };

/** Cuts the client off as a failed network would, and keeps it away until the returned `back()`. */
async function cutOff(client: GatewayClient): Promise<() => Promise<void>> {
  const disconnected = once(client, 'disconnect');
  client.socket.io.reconnection(false);
  client.socket.io.engine.close();
  await disconnected;
  return async () => {
    const connected = once(client, 'connect');
    client.socket.io.reconnection(true);
    client.socket.connect();
    await connected;
  };
}

const seqsOf = (messages: Received[]) => messages.map((m) => m.seq);

describe('the client resuming the event log', () => {
  const gateways: TestGateway[] = [];
  const clients: GatewayClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const gateway of gateways.splice(0)) await gateway.shutdown();
  });
  /** A sandbox gateway with the session running, and a controller client that injects messages into it. */
  async function started(env: Record<string, string> = {}, root?: string): Promise<{ gateway: TestGateway; controller: GatewayClient }> {
    const gateway = await startSandboxGateway({ ...FAST, ...env }, root);
    gateways.push(gateway);
    const controller = await gateway.client(UNPACED);
    await controller.startSession(SESSION); // a session restored at boot is running already: then it answers its status
    await vi.waitFor(async () => expect((await controller.getSessionStatus(SESSION)).status).toBe('connected'), { timeout: 10_000 });
    return { gateway, controller };
  }

  /** A bot on the real client, and what its listeners heard, in order: the session's messages and `subscribed`. */
  function botOn(url: string, options: ConnectOptions = {}) {
    const client = connect(url, { timeoutMs: 5000, ...UNPACED, socketOptions: QUICK_RECONNECT, ...options });
    clients.push(client);
    const heard: Heard[] = [];
    client.on('message_received', (payload) => payload.sessionId === SESSION && heard.push({ event: 'message_received', payload }));
    client.on('subscribed', (payload) => heard.push({ event: 'subscribed', payload }));
    const messages = () => heard.flatMap((h) => (h.event === 'message_received' ? [h.payload] : []));
    const texts = () => messages().map((m) => m.message.text);
    const heardText = (text: string) => vi.waitFor(() => expect(texts()).toContain(text), { timeout: 10_000 });
    return { client, heard, messages, texts, heardText };
  }

  it.each([
    ['through the event log (no connection state recovery)', '0'],
    ["through Socket.IO's connection state recovery", '60000'],
  ])('a bot cut off while messages arrive gets each of them once, in seq order: %s', async (_how, recoveryWindowMs) => {
    const { gateway, controller } = await started({ RECOVERY_WINDOW_MS: recoveryWindowMs });
    const { client, messages, texts, heardText } = botOn(gateway.url);
    await client.connected();
    await injectMessages(controller, SESSION, ['before']);
    await heardText('before');

    const back = await cutOff(client);
    const missed = await injectMessages(controller, SESSION, numbered('while away', 50));
    await back();
    const [live] = await injectMessages(controller, SESSION, ['live']);
    await heardText('live');

    expect(Boolean(client.socket.recovered)).toBe(recoveryWindowMs !== '0');
    expect(texts()).toEqual(['before', ...missed.map((m) => m.message.text), 'live']);
    expect(seqsOf(messages().slice(1))).toEqual([...seqsOf(missed), live!.seq]);
    const replayed = messages().filter((m) => m.replayed);
    expect(replayed).toHaveLength(recoveryWindowMs === '0' ? missed.length : 0);
    expect(client.lastSeqs()[SESSION]).toBe(live!.seq);
  });

  it('a bot away while the gateway restarts with its sqlite store in the same DATA_DIR gets what came before and after the restart, once, in order', async () => {
    const root = await makeTempRoot();
    const first = await started({}, root);
    const { client, messages, texts, heardText } = botOn(first.gateway.url);
    await client.connected();
    await injectMessages(first.controller, SESSION, ['before']);
    await heardText('before');

    const back = await cutOff(client);
    const beforeRestart = await injectMessages(first.controller, SESSION, numbered('before the restart', 20));
    await gateways.pop()!.shutdown();
    const second = await started({ PORT: new URL(first.gateway.url).port }, root);
    const afterRestart = await injectMessages(second.controller, SESSION, numbered('after the restart', 20));
    await back();
    await injectMessages(second.controller, SESSION, ['live']);
    await heardText('live');

    const missed = [...beforeRestart, ...afterRestart];
    expect(texts()).toEqual(['before', ...missed.map((m) => m.message.text), 'live']);
    const seqs = seqsOf(messages());
    expect(seqs).toEqual([...seqs].sort((a, b) => a! - b!));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqsOf(messages().filter((m) => m.replayed))).toEqual(seqsOf(missed));
    await fs.rm(root, { recursive: true, force: true });
  });

  it('starts over with a gateway whose event log did (STORE=memory restarted): its seqs begin at 1 again', async () => {
    const root = await makeTempRoot();
    const first = await started({ STORE: 'memory' }, root);
    const { client, messages, texts, heardText } = botOn(first.gateway.url);
    await client.connected();
    await injectMessages(first.controller, SESSION, numbered('before', 20));
    await heardText('before 19');
    const back = await cutOff(client);
    await gateways.pop()!.shutdown();

    const second = await started({ STORE: 'memory', PORT: new URL(first.gateway.url).port }, root);
    const afterRestart = await injectMessages(second.controller, SESSION, numbered('after the restart', 3));
    expect(afterRestart[2]!.seq).toBeLessThan(client.lastSeqs()[SESSION]!);
    await back();
    await heardText('after the restart 2');
    expect(texts().slice(20)).toEqual(afterRestart.map((m) => m.message.text));
    expect(client.lastSeqs()[SESSION]).toBe(afterRestart[2]!.seq);
    expect(
      messages()
        .slice(20)
        .every((m) => m.replayed),
    ).toBe(true);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('lastSeqs() is what to save, and `since` resumes a new client (the bot restarted) from it', async () => {
    const { gateway, controller } = await started({ RECOVERY_WINDOW_MS: '0' });
    const handshakes: Array<Record<string, unknown>> = [];
    gateway.io.on('connection', (socket) => handshakes.push(socket.handshake.auth));
    const firstRun = botOn(gateway.url);
    await firstRun.client.connected();
    await injectMessages(controller, SESSION, ['one', 'two']);
    await firstRun.heardText('two');
    const saved = firstRun.client.lastSeqs();
    expect(saved[SESSION]).toBe(firstRun.messages()[1]!.seq);
    saved[SESSION] = 0; // a copy: changing it changes nothing in the client
    expect(firstRun.client.lastSeqs()[SESSION]).toBe(firstRun.messages()[1]!.seq);
    firstRun.client.close();

    const missed = await injectMessages(controller, SESSION, ['three', 'four']);
    const secondRun = botOn(gateway.url, { since: firstRun.client.lastSeqs() });
    await vi.waitFor(() => expect(secondRun.heard.some((h) => h.event === 'subscribed')).toBe(true));
    expect(handshakes.at(-1)).toEqual({ since: firstRun.client.lastSeqs() });
    expect(secondRun.heard).toEqual([
      ...missed.map((m) => ({ event: 'message_received', payload: { ...m, replayed: true } })),
      {
        event: 'subscribed',
        payload: { sessionIds: '*', replayed: { [SESSION]: { events: 2, lastSeq: missed[1]!.seq, truncated: false } } },
      },
    ]);
  });

  it('resumes by subscribe when `since` is too large for the handshake, holding what comes live meanwhile so all arrives in seq order', async () => {
    const { gateway, controller } = await started({ RECOVERY_WINDOW_MS: '0' });
    const [handled] = await injectMessages(controller, SESSION, ['handled']);
    const backlog = await injectMessages(controller, SESSION, numbered('backlog', 300));
    const idle = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`idle-session-with-a-long-id-${i}`, 1]));
    const since = { ...idle, [SESSION]: handled!.seq! };
    expect(JSON.stringify({ since }).length).toBeGreaterThan(gateway.config.AUTH_MAX_BYTES);

    // The gateway holds the bot's subscribe until live messages have gone out to it: they reach it before the replay.
    const handshakes: Array<Record<string, unknown>> = [];
    const requests: Array<{ event: string; payload: unknown }> = [];
    let liveFirst: Received[] = [];
    gateway.io.on('connection', (socket) => {
      handshakes.push(socket.handshake.auth);
      socket.onAny((event: string, payload: unknown) => requests.push({ event, payload }));
      socket.use(([event], next) => {
        if (event !== 'subscribe') return next();
        const sentToBot: string[] = [];
        socket.onAnyOutgoing((_event: string, payload: Partial<Received>) => payload.message && sentToBot.push(payload.message.text));
        void injectMessages(controller, SESSION, numbered('live first', 3)).then(async (injected) => {
          liveFirst = injected;
          await vi.waitFor(() => expect(sentToBot).toContain('live first 2'));
          next();
        });
      });
    });
    const { client, heard, messages, heardText } = botOn(gateway.url, { since });
    await vi.waitFor(() => expect(heard.some((h) => h.event === 'subscribed')).toBe(true), { timeout: 10_000 });
    const [live] = await injectMessages(controller, SESSION, ['live']);
    await heardText('live');

    expect(handshakes).toEqual([{}]);
    expect(requests[0]).toEqual({ event: 'subscribe', payload: { sessionIds: '*', since } });
    expect(seqsOf(messages())).toEqual([...seqsOf(backlog), ...seqsOf(liveFirst), live!.seq]);
    expect(messages().filter((m) => m.replayed)).toHaveLength(backlog.length);
    const subscribedAt = heard.findIndex((h) => h.event === 'subscribed');
    expect(subscribedAt).toBe(backlog.length + liveFirst.length);
    expect(client.lastSeqs()).toEqual({ ...idle, [SESSION]: live!.seq });
  });

  it('getMessageStatus finds a send by its clientMessageId and by its messageId, and answers message_not_found for others', async () => {
    const { gateway } = await started();
    const { client } = botOn(gateway.url);
    const sent = await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'where is it?', clientMessageId: 'status-1' });
    const byClientId = await client.getMessageStatus(SESSION, { clientMessageId: 'status-1' });
    expect(byClientId).toMatchObject({
      sessionId: SESSION,
      clientMessageId: 'status-1',
      status: 'sent',
      messageId: sent.messageId,
      to: PEER,
    });
    const byMessageId = await client.getMessageStatus(SESSION, { messageId: sent.messageId });
    expect(byMessageId).toMatchObject({ clientMessageId: 'status-1', status: 'sent', acceptedAt: byClientId.acceptedAt });
    await expect(client.getMessageStatus(SESSION, { clientMessageId: 'never-sent' })).rejects.toMatchObject({ code: 'message_not_found' });
  });
});
