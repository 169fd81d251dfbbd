/**
 * The outbox on the send path, with an engine the test scripts: each step is in the store before the
 * next one matters, outcomes reach every follower with a seq, and only a failure is tried again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../../src/client/gateway-client';
import { GatewayError } from '../../../src/protocol/errors';
import { MemoryStore } from '../../../src/storage/memory-store';
import { SqliteStore } from '../../../src/storage/sqlite/sqlite-store';
import type { Store } from '../../../src/storage/store';
import { collect, makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../../support/sandbox-gateway';
import { ScriptedEngine, type ScriptedSession } from '../../support/scripted-engine';

const PEER = '6282284316465';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.shutdown();
  gateway = undefined;
});

/** A gateway on a scripted engine whose session connects at once; `gate` holds every send until opened. */
async function start(store: Store = new MemoryStore(), env: Record<string, string> = {}) {
  const engine = new ScriptedEngine();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let held = false;
  engine.configure = (session) => {
    session.onStart = async () => session.connect();
    session.sendResult = async () => {
      if (held) await gate;
      return { id: `id-${session.sent.length}`, timestamp: 1_700_000_000_000 + session.sent.length };
    };
  };
  gateway = await startSandboxGateway(env, await makeTempRoot(), { engine: () => engine, store });
  const client = await gateway.client({ timeoutMs: 10_000 });
  const ready = nextEvent(client, 'session_connected');
  await client.startSession('b');
  await ready;
  return {
    engine,
    store,
    client,
    session: (): ScriptedSession => engine.latest,
    hold: () => (held = true),
    release: () => open(),
  };
}

const send = (client: GatewayClient, message: string, clientMessageId?: string) =>
  client.sendMessage({ sessionId: 'b', to: PEER, message, ...(clientMessageId && { clientMessageId }) });
const outcome = (promise: Promise<{ message?: string }>) =>
  promise.then(
    (sent) => `sent:${sent.message}`,
    (error: { code: string }) => error.code,
  );

describe('sending through the outbox', () => {
  it('records `sending` before WhatsApp gets the message and `sent` right after; every follower hears message_sent', async () => {
    const { client, store, session } = await start();
    const states: string[] = [];
    const scripted = session();
    const original = scripted.sendResult;
    scripted.sendResult = async () => {
      states.push((await store.outbox.byClientMessageId('b', 'c1'))!.state);
      return original();
    };
    const watcher = await gateway!.client();
    const heard = nextEvent(watcher, 'message_sent', (p) => p.clientMessageId === 'c1');
    const toRequester = collect(client, 'message_sent');

    const sent = await send(client, 'hello', 'c1');
    expect(states).toEqual(['sending']);
    expect(await store.outbox.byClientMessageId('b', 'c1')).toMatchObject({
      state: 'sent',
      messageId: sent.messageId,
      chatId: `${PEER}@c.us`,
    });
    expect(await heard).toEqual(sent);
    expect(sent.seq).toBeGreaterThan(0);
    await client.getActiveSessions(); // a second copy for the requester would have come before this answer
    expect(toRequester).toEqual([sent]);
    expect(await client.request('get_message_status', { sessionId: 'b', clientMessageId: 'c1' })).toMatchObject({
      status: 'sent',
      messageId: sent.messageId,
      to: PEER,
      type: 'text',
    });
  });

  it('keeps the latest ack of a sent message for get_message_status', async () => {
    const { client, session } = await start();
    const sent = await send(client, 'hello', 'c1');
    session().listener.onAck(sent.messageId, 'device');
    session().listener.onAck(sent.messageId, 'read');
    await vi.waitFor(async () =>
      expect(await client.request('get_message_status', { sessionId: 'b', messageId: sent.messageId })).toMatchObject({ ack: 'read' }),
    );
  });

  it('fails what WhatsApp refused and may try it again; reports what may have gone out unknown and never sends it again', async () => {
    const { client, session } = await start();
    const watcher = await gateway!.client();
    const errors = collect(watcher, 'send_error');
    const requesterErrors = collect(client, 'send_error');
    const scripted = session();
    const original = scripted.sendResult;
    scripted.sendResult = () => Promise.reject(new GatewayError('engine_error', 'refused'));
    expect(await outcome(send(client, 'a', 'refused'))).toBe('engine_error');
    scripted.sendResult = () => Promise.reject(new GatewayError('send_unconfirmed', 'no id came back'));
    expect(await outcome(send(client, 'b', 'maybe'))).toBe('send_unconfirmed');
    await vi.waitFor(() => expect(errors.map((e) => [e.clientMessageId, e.code, typeof e.seq])).toHaveLength(2));
    expect(errors.map((e) => [e.clientMessageId, e.code, typeof e.seq])).toEqual([
      ['refused', 'engine_error', 'number'],
      ['maybe', 'send_unconfirmed', 'number'],
    ]);

    expect(requesterErrors.map((e) => e.clientMessageId)).toEqual(['refused', 'maybe']); // once each, though published

    scripted.sendResult = original;
    expect(await outcome(send(client, 'a', 'refused'))).toBe('sent:a');
    expect(await outcome(send(client, 'b', 'maybe'))).toBe('send_unconfirmed');
    expect(scripted.sent.map((s) => (s.message.type === 'text' ? s.message.text : ''))).toEqual(['a', 'b', 'a']);
    expect(await client.request('get_message_status', { sessionId: 'b', clientMessageId: 'maybe' })).toMatchObject({
      status: 'unknown',
      error: { code: 'send_unconfirmed' },
    });
  });

  it('stores nothing it refuses: bad media, a session not connected, a full queue', async () => {
    const { client, store, hold, release } = await start(new MemoryStore(), { SEND_QUEUE_MAX: '1' });
    expect(await outcome(client.sendMessage({ sessionId: 'b', to: PEER, type: 'image', media: 'missing.jpg', clientMessageId: 'm' }))).toBe(
      'media_not_found',
    );
    hold();
    const first = outcome(send(client, 'first', 'f'));
    await vi.waitFor(async () => expect((await client.getSessionStatus('b')).queueDepth).toBe(1));
    expect(await outcome(send(client, 'second', 'full'))).toBe('queue_full');
    expect(await store.outbox.byClientMessageId('b', 'm')).toBeUndefined();
    expect(await store.outbox.byClientMessageId('b', 'full')).toBeUndefined();
    await expect(client.request('get_message_status', { sessionId: 'b', clientMessageId: 'full' })).rejects.toMatchObject({
      code: 'message_not_found',
    });
    release();
    expect(await first).toBe('sent:first');
  });

  it('sends nothing when the outbox cannot take the message, or cannot record that it is being sent', async () => {
    const store = new MemoryStore();
    const { client, session } = await start(store);
    const add = store.outbox.add.bind(store.outbox);
    store.outbox.add = () => Promise.reject(new Error('SQLITE_FULL: database or disk is full'));
    expect(await outcome(send(client, 'x', 'no-room'))).toBe('storage_failed');
    store.outbox.add = add;
    store.outbox.markSending = () => Promise.reject(new Error('SQLITE_IOERR'));
    expect(await outcome(send(client, 'y', 'no-trace'))).toBe('storage_failed');
    expect(session().sent).toEqual([]);
    expect(await store.outbox.byClientMessageId('b', 'no-trace')).toMatchObject({ state: 'failed', error: { code: 'storage_failed' } });
  });

  it('lets a retry of a send under way wait for it: one message, one outcome for both', async () => {
    const { client, store, session, hold, release } = await start();
    const lookups = vi.spyOn(store.outbox, 'byClientMessageId');
    hold();
    const first = send(client, 'once', 'dup');
    await vi.waitFor(() => expect(session().sent).toHaveLength(1));
    const retry = send(client, 'once', 'dup');
    await vi.waitFor(() => expect(lookups).toHaveBeenCalledTimes(2)); // the retry found it under way
    release();
    const [a, b] = await Promise.all([first, retry]);
    expect(b).toEqual(a);
    expect(a.seq).toBeGreaterThan(0);
    expect(session().sent).toHaveLength(1);
  });

  it('on stop_session lets WhatsApp finish the message it has, and fails the queued ones with session_stopped', async () => {
    const { client, session, hold, release } = await start();
    hold();
    const results = ['1', '2', '3'].map((m, i) => outcome(send(client, m, `s${i}`)));
    await vi.waitFor(() => expect(session().sent).toHaveLength(1));
    const scripted = session();
    const stopped = client.stopSession('b');
    await vi.waitFor(async () => expect((await gateway!.store.outbox.byClientMessageId('b', 's2'))?.state).toBe('failed'));
    expect(scripted.stopped).toBe(0); // the browser waits for the message in flight
    release();
    await stopped;
    expect(await Promise.all(results)).toEqual(['sent:1', 'session_stopped', 'session_stopped']);
    expect(scripted.stopped).toBe(1);
  });

  it.each([
    ['a durable store', 'send_pending', 'queued'],
    ['STORE=memory', 'shutting_down', 'failed'],
  ])('at shutdown, with %s, answers a queued message %s (%s in the outbox)', async (kind, answer, state) => {
    const root = await makeTempRoot();
    const store = kind === 'STORE=memory' ? new MemoryStore() : new SqliteStore({ file: `${root}/store.sqlite`, sync: 'normal' });
    const { client, session, hold, release } = await start(store, { SHUTDOWN_GRACE_MS: '0' });
    hold();
    const results = ['1', '2'].map((m, i) => outcome(send(client, m, `p${i}`)));
    await vi.waitFor(() => expect(session().sent).toHaveLength(1));
    const closing = gateway!.close();
    expect(await results[1]).toBe(answer); // cancelled while the first is still with WhatsApp
    release();
    await closing;
    gateway = undefined;
    expect(await results[0]).toBe('sent:1');
    const reopened = kind === 'STORE=memory' ? store : new SqliteStore({ file: `${root}/store.sqlite`, sync: 'normal' });
    expect(await reopened.outbox.byClientMessageId('b', 'p1')).toMatchObject({ state });
    await reopened.close();
  });
});

describe('order per chat (SEND_CONCURRENCY)', () => {
  const OTHER = '6281234567890';

  it("lets a slow send hold back only its own chat's later sends", async () => {
    const { client, session } = await start(new MemoryStore(), { SEND_CONCURRENCY: '4' });
    const scripted = session();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const finished: string[] = [];
    scripted.sendResult = async () => {
      const { chatId, message } = scripted.sent.at(-1)!;
      if (message.type === 'text' && message.text === 'slow') await gate;
      finished.push(`${chatId.slice(0, 4)}:${message.type === 'text' ? message.text : ''}`);
      return { id: `id-${scripted.sent.length}`, timestamp: Date.now() };
    };
    const slow = send(client, 'slow');
    await vi.waitFor(() => expect(scripted.sent).toHaveLength(1));
    const sameChat = send(client, 'after the slow one');
    const otherChat = client.sendMessage({ sessionId: 'b', to: OTHER, message: 'elsewhere' });
    await otherChat;
    expect(finished).toEqual(['6281:elsewhere']);
    expect(scripted.sent.map(({ message }) => (message.type === 'text' ? message.text : ''))).toEqual(['slow', 'elsewhere']);
    open();
    await Promise.all([slow, sameChat]);
    expect(finished).toEqual(['6281:elsewhere', '6282:slow', '6282:after the slow one']);
  });

  it('sends one at a time with SEND_CONCURRENCY=1, as before', async () => {
    const { client, session, hold, release } = await start(new MemoryStore(), { SEND_CONCURRENCY: '1' });
    hold();
    const first = send(client, 'first');
    await vi.waitFor(() => expect(session().sent).toHaveLength(1));
    const elsewhere = client.sendMessage({ sessionId: 'b', to: OTHER, message: 'elsewhere' });
    await vi.waitFor(async () => expect((await client.getSessionStatus('b')).queueDepth).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 50)); // time enough for a second send to be handed over, were it allowed
    expect(session().sent).toHaveLength(1);
    release();
    await Promise.all([first, elsewhere]);
    expect(session().sent.map(({ chatId }) => chatId)).toEqual([`${PEER}@c.us`, `${OTHER}@c.us`]);
  });
});
