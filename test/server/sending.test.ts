/** The send queue through the API: order, bounds, idempotency, and what happens to queued messages when a session goes away. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect, type GatewayClient } from '../../src/client/gateway-client';
import { loadConfig } from '../../src/config';
import { startGateway, type Gateway } from '../../src/gateway';
import { silentLogger } from '../../src/logger';
import { ScriptedEngine } from '../support/scripted-engine';
import { collect, makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const PEER = '6282284316465';
const text = (sessionId: string, message: string, extra: object = {}) => ({ sessionId, to: PEER, message, ...extra });
/** Waits until session `sessionId` counts `expected` queued messages (asking often: a paced queue drains meanwhile). */
const queueDepth = (client: GatewayClient, sessionId: string, expected: (depth: number | undefined) => void) =>
  vi.waitFor(async () => expected((await client.getSessionStatus(sessionId)).queueDepth), { interval: 5 });

describe('sending through the queue (sandbox)', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  async function connected(env: Record<string, string>, sessionId = 'q') {
    gateway = await startSandboxGateway({ SANDBOX_ECHO: '0', ...env });
    client = await gateway.client();
    const ready = nextEvent(client, 'session_connected');
    await client.startSession(sessionId);
    await ready;
  }
  afterEach(() => gateway?.shutdown());

  it('keeps the order of a session and shows the depth in its status', async () => {
    await connected({ SEND_MIN_INTERVAL_MS: '30' });
    const sentEvents = collect(client, 'message_sent');
    const pending = ['1', '2', '3', '4', '5'].map((n) => client.sendMessage(text('q', n)));
    await queueDepth(client, 'q', (depth) => expect(depth).toBeGreaterThanOrEqual(3));
    expect((await client.getActiveSessions())[0]!.queueDepth).toBeGreaterThanOrEqual(3);
    const results = await Promise.all(pending);
    expect(sentEvents.map((event) => event.message)).toEqual(['1', '2', '3', '4', '5']);
    const times = results.map((r) => r.timestamp);
    for (let i = 1; i < times.length; i += 1) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(25);
  });

  it('answers queue_full at once when SEND_QUEUE_MAX messages are waiting', async () => {
    await connected({ SEND_MIN_INTERVAL_MS: '200', SEND_QUEUE_MAX: '2' });
    const first = client.sendMessage(text('q', 'a'));
    const second = client.sendMessage(text('q', 'b'));
    await expect(client.sendMessage(text('q', 'c'))).rejects.toMatchObject({ code: 'queue_full' });
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
  });

  it('sends a clientMessageId once and answers repeats with the first result', async () => {
    await connected({});
    const sentEvents = collect(client, 'message_sent');
    const [a, b] = await Promise.all([
      client.sendMessage(text('q', 'once', { clientMessageId: 'order-42' })),
      client.sendMessage(text('q', 'once', { clientMessageId: 'order-42' })),
    ]);
    const c = await client.sendMessage(text('q', 'once', { clientMessageId: 'order-42' }));
    expect(b).toEqual(a);
    // Read back from the outbox: the same answer, without the seq the published event had.
    expect(a.seq).toBeGreaterThan(0);
    expect(c).toEqual({ ...a, seq: undefined });
    expect(new Set(sentEvents.map((e) => e.messageId)).size).toBe(1);
    const other = await client.sendMessage(text('q', 'twice', { clientMessageId: 'order-43' }));
    expect(other.messageId).not.toBe(a.messageId);
  });

  it('lets a failed clientMessageId be retried', async () => {
    await connected({});
    await expect(
      client.sendMessage({ sessionId: 'q', to: '6281234567000', message: 'x', clientMessageId: 'retry-me' }),
    ).rejects.toMatchObject({
      code: 'not_on_whatsapp',
    });
    await expect(client.sendMessage(text('q', 'x', { clientMessageId: 'retry-me' }))).resolves.toMatchObject({
      clientMessageId: 'retry-me',
    });
  });

  it('answers every queued message session_stopped when the session is stopped', async () => {
    await connected({ SEND_MIN_INTERVAL_MS: '300' });
    const errors = collect(client, 'send_error');
    const firstSent = nextEvent(client, 'message_sent', (p) => p.clientMessageId === 'stop-0');
    const results = ['a', 'b', 'c'].map((m, i) =>
      client.sendMessage(text('q', m, { clientMessageId: `stop-${i}` })).then(
        (sent) => `sent:${sent.message}`,
        (error: { code: string }) => error.code,
      ),
    );
    await firstSent;
    await queueDepth(client, 'q', (depth) => expect(depth).toBe(2)); // b and c wait out SEND_MIN_INTERVAL_MS
    await client.stopSession('q');
    expect(await Promise.all(results)).toEqual(['sent:a', 'session_stopped', 'session_stopped']);
    expect(errors.map((e) => [e.clientMessageId, e.code])).toEqual([
      ['stop-1', 'session_stopped'],
      ['stop-2', 'session_stopped'],
    ]);
  });

  it('refuses media sources that are not enabled', async () => {
    await connected({});
    await expect(client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: 'https://example.com/a.jpg' })).rejects.toMatchObject(
      {
        code: 'media_forbidden',
      },
    );
    await expect(
      client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: { data: 'aGk=', mimetype: 'image/png' } }),
    ).rejects.toMatchObject({ code: 'media_forbidden' });
  });

  it('takes inline media when MEDIA_ALLOW_DATA=1 and checks it like a file', async () => {
    await connected({ MEDIA_ALLOW_DATA: '1' });
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    await expect(
      client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: { data: png, mimetype: 'image/png', fileName: 'a.png' } }),
    ).resolves.toMatchObject({ type: 'image' });
    await expect(
      client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: `data:image/png;base64,${png}` }),
    ).resolves.toMatchObject({ type: 'image' });
    await expect(
      client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: { data: png, mimetype: 'application/x-msdownload' } }),
    ).rejects.toMatchObject({ code: 'unsupported_type' });
    await expect(
      client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: { data: 'not base64!', mimetype: 'image/png' } }),
    ).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('enforces MESSAGE_MAX_LENGTH and CAPTION_MAX_LENGTH', async () => {
    await connected({ MESSAGE_MAX_LENGTH: '10', CAPTION_MAX_LENGTH: '3' });
    await expect(client.sendMessage(text('q', 'x'.repeat(11)))).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining('message'),
    });
    await expect(
      client.sendMessage({ sessionId: 'q', to: PEER, type: 'image', media: 'photo.jpg', caption: 'long' }),
    ).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});

describe('queued messages while the browser restarts (scripted engine)', () => {
  let gateway: Gateway;
  let client: GatewayClient;
  afterEach(async () => {
    client?.close();
    await gateway?.close();
  });

  /** Opens once the test has pulled the browser from under the first send; until then sends hang. */
  let openSends: () => void;

  async function start(env: Record<string, string>) {
    const root = await makeTempRoot();
    const engine = new ScriptedEngine();
    const sendsOpen = new Promise<void>((resolve) => (openSends = resolve));
    engine.configure = (session) => {
      session.onStart = async () => session.connect();
      session.sendResult = async () => {
        await sendsOpen;
        return { id: `id-${Math.random()}`, timestamp: Date.now() };
      };
    };
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: `${root}/data`,
      MEDIA_DIR: `${root}/media`,
      LOG_LEVEL: 'silent',
      ...env,
    });
    gateway = await startGateway(config, silentLogger, { engine });
    client = connect(gateway.url, { timeoutMs: 10_000 });
    const ready = nextEvent(client, 'session_connected');
    await client.startSession('b');
    await ready;
    return engine;
  }

  it('resumes the queue in order when the session comes back within SEND_RETRY_WINDOW_MS', async () => {
    const engine = await start({ SEND_RETRY_WINDOW_MS: '5000', RESTART_BASE_DELAY_MS: '200' });
    const results = ['1', '2', '3'].map((m) => client.sendMessage(text('b', m)));
    await vi.waitFor(() => expect(engine.latest.sent).toHaveLength(1));
    engine.latest.listener.onDisconnected('browser_closed');
    openSends();
    const sent = await Promise.all(results);
    expect(sent.map((s) => s.message)).toEqual(['1', '2', '3']);
    expect(engine.sessions).toHaveLength(2);
    expect(engine.sessions[1]!.sent.map((s) => (s.message.type === 'text' ? s.message.text : undefined))).toEqual(['2', '3']);
  });

  it('answers browser_closed when the session does not come back in time', async () => {
    const engine = await start({ SEND_RETRY_WINDOW_MS: '300', RESTART_BASE_DELAY_MS: '5000' });
    const results = ['1', '2'].map((m) =>
      client.sendMessage(text('b', m)).then(
        (s) => s.message,
        (e: { code: string }) => e.code,
      ),
    );
    await vi.waitFor(() => expect(engine.latest.sent).toHaveLength(1));
    engine.latest.listener.onDisconnected('browser_closed');
    openSends();
    expect(await Promise.all(results)).toEqual(['1', 'browser_closed']);
  });
});

describe('media URLs through the API', () => {
  it('refuses a URL whose host resolves to 127.0.0.1', async () => {
    const gateway = await startSandboxGateway({ MEDIA_ALLOW_URLS: '1' });
    try {
      const client = await gateway.client();
      const ready = nextEvent(client, 'session_connected');
      await client.startSession('u');
      await ready;
      await expect(
        client.sendMessage({ sessionId: 'u', to: PEER, type: 'image', media: 'https://localhost:9/cat.jpg' }),
      ).rejects.toMatchObject({
        code: 'media_forbidden',
      });
    } finally {
      await gateway.shutdown();
    }
  });
});
