/**
 * What the outbox held when the gateway went down (seeded straight into the store file) is carried
 * out once its session connects: queued messages sent in order ahead of new ones, an interrupted one
 * confirmed from its chat or reported unknown, an old one expired; clients hear each outcome.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { STORE_FILE } from '../../../src/storage/open-store';
import { SqliteStore } from '../../../src/storage/sqlite/sqlite-store';
import type { SendRequest } from '../../../src/storage/store';
import { collect, makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../../support/sandbox-gateway';
import { ScriptedEngine } from '../../support/scripted-engine';

const PEER = '6282284316465';
const request = (message: string, clientMessageId: string): SendRequest => ({
  sessionId: 'b',
  to: PEER,
  type: 'text',
  message,
  clientMessageId,
});

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.shutdown();
  gateway = undefined;
});

/** Writes the outbox a crashed gateway would have left: `seed` gets the store. */
async function crashedWith(seed: (store: SqliteStore) => Promise<void>): Promise<string> {
  const root = await makeTempRoot();
  await fs.mkdir(path.join(root, 'data'), { recursive: true });
  const store = new SqliteStore({ file: path.join(root, 'data', STORE_FILE), sync: 'full' });
  await seed(store);
  await store.close();
  return root;
}

/** Starts the gateway on `root` and a watching client; `connect()` brings session b up. */
async function restart(root: string, env: Record<string, string> = {}, configure: (engine: ScriptedEngine) => void = () => {}) {
  const engine = new ScriptedEngine();
  engine.configure = (session) => {
    session.onStart = async () => session.connect();
  };
  configure(engine);
  gateway = await startSandboxGateway(env, root, { engine: () => engine });
  const client = await gateway.client({ timeoutMs: 10_000 });
  const sent = collect(client, 'message_sent');
  const errors = collect(client, 'send_error');
  const connect = async () => {
    const ready = nextEvent(client, 'session_connected');
    await client.startSession('b');
    await ready;
  };
  return { engine, client, sent, errors, connect };
}

const texts = (engine: ScriptedEngine) => engine.latest.sent.map((s) => (s.message.type === 'text' ? s.message.text : s.message.type));

describe('after a restart', () => {
  it('sends the queued messages once their session connects, in their order and before anything new', async () => {
    const root = await crashedWith(async (store) => {
      for (const n of ['1', '2', '3']) await store.outbox.add('b', request(n, `q${n}`), Date.now());
    });
    const { engine, client, sent, connect } = await restart(root);
    // Retried before the session is back: waits for the outcome, and nothing goes out twice.
    const retried = client.sendMessage(request('2', 'q2'));
    await connect();
    const fresh = await client.sendMessage(request('new', 'fresh'));
    expect((await retried).messageId).toBe(sent.find((e) => e.clientMessageId === 'q2')?.messageId);
    await vi.waitFor(() => expect(sent.map((e) => e.message)).toEqual(['1', '2', '3', 'new']));
    expect(texts(engine)).toEqual(['1', '2', '3', 'new']);
    expect(fresh.message).toBe('new');
  });

  it('confirms a message that was being sent from its chat, and never sends it again', async () => {
    const startedAt = Date.now() - 1000;
    const root = await crashedWith(async (store) => {
      const entry = await store.outbox.add('b', request('in flight', 'f'), startedAt);
      await store.outbox.markSending(entry.id, `${PEER}@c.us`, startedAt);
    });
    const { engine, client, sent, connect } = await restart(root, {}, (e) => {
      e.configure = (session) => {
        session.onStart = async () => session.connect();
        session.findSent = async () => ({ id: 'true_found', timestamp: startedAt + 10 });
      };
    });
    await connect();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ clientMessageId: 'f', messageId: 'true_found', chatId: `${PEER}@c.us`, timestamp: startedAt + 10 });
    expect(engine.latest.probes).toEqual([{ chatId: `${PEER}@c.us`, probe: { type: 'text', text: 'in flight', since: startedAt } }]);
    expect(engine.latest.sent).toEqual([]);
    expect(await client.request('get_message_status', { sessionId: 'b', clientMessageId: 'f' })).toMatchObject({
      status: 'sent',
      messageId: 'true_found',
    });
  });

  it.each<[string, Partial<SendRequest>, { type: string; text?: string }]>([
    [
      'a poll by its question',
      { type: 'poll', poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false } },
      { type: 'poll', text: 'Lunch?' },
    ],
    [
      'a location by its name and address',
      { type: 'location', location: { latitude: 1, longitude: 2, name: 'Monas', address: 'Jakarta' } },
      { type: 'location', text: 'Monas\nJakarta' },
    ],
    ['a location without either by nothing', { type: 'location', location: { latitude: 1, longitude: 2 } }, { type: 'location', text: '' }],
    ['a contact card by its type alone', { type: 'contact', contact: { numbers: ['6281234567890'] } }, { type: 'contact' }],
    ['a sticker by its type alone', { type: 'sticker', media: 'photo.jpg' }, { type: 'sticker' }],
  ])('looks for an interrupted send in its chat: %s', async (_, fields, probe) => {
    const startedAt = Date.now() - 1000;
    const root = await crashedWith(async (store) => {
      const entry = await store.outbox.add('b', { ...request('', 'f'), message: undefined, ...fields }, startedAt);
      await store.outbox.markSending(entry.id, `${PEER}@c.us`, startedAt);
    });
    const { engine, sent, connect } = await restart(root, {}, (e) => {
      e.configure = (session) => {
        session.onStart = async () => session.connect();
        session.findSent = async () => ({ id: 'true_found', timestamp: startedAt + 10 });
      };
    });
    await connect();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ clientMessageId: 'f', messageId: 'true_found', type: fields.type });
    expect(engine.latest.probes).toEqual([{ chatId: `${PEER}@c.us`, probe: { ...probe, since: startedAt } }]);
    expect(engine.latest.sent).toEqual([]);
  });

  it.each([
    ['not found in its chat', async () => undefined],
    ['the chat could not be read', () => Promise.reject(new Error('Execution context was destroyed'))],
    ['an engine that cannot look', undefined],
  ])('reports a message that was being sent, %s, unknown with send_interrupted', async (_, findSent) => {
    const root = await crashedWith(async (store) => {
      const entry = await store.outbox.add('b', request('in flight', 'f'), Date.now());
      await store.outbox.markSending(entry.id, `${PEER}@c.us`, Date.now());
    });
    const { engine, client, errors, connect } = await restart(root, {}, (e) => {
      e.configure = (session) => {
        session.onStart = async () => session.connect();
        if (findSent) session.findSent = findSent;
      };
    });
    await connect();
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toMatchObject({ clientMessageId: 'f', code: 'send_interrupted', seq: expect.any(Number) });
    expect(engine.latest.sent).toEqual([]);
    await expect(client.sendMessage(request('in flight', 'f'))).rejects.toMatchObject({ code: 'send_interrupted' });
    expect(engine.latest.sent).toEqual([]);
  });

  it('fails a message older than OUTBOX_MAX_AGE_MS with send_expired instead of sending it late', async () => {
    const root = await crashedWith(async (store) => {
      await store.outbox.add('b', request('stale', 'old'), Date.now() - 2 * 60_000);
      await store.outbox.add('b', request('fresh', 'new'), Date.now());
    });
    const { engine, client, sent, connect } = await restart(root, { OUTBOX_MAX_AGE_MS: '60000' });
    await connect();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(texts(engine)).toEqual(['fresh']);
    // Expired at boot, before this client connected: the outcome is in the outbox (and the event log).
    expect(await client.request('get_message_status', { sessionId: 'b', clientMessageId: 'old' })).toMatchObject({
      status: 'failed',
      error: { code: 'send_expired' },
    });
  });

  it('expires, and reports, messages whose session never comes back', async () => {
    const root = await crashedWith(async (store) => {
      await store.outbox.add('b', request('waiting', 'w'), Date.now());
    });
    const { client, errors } = await restart(root, { OUTBOX_MAX_AGE_MS: '1000' });
    const answered = client.sendMessage(request('waiting', 'w')).catch((error: { code: string }) => error.code);
    await vi.waitFor(() => expect(errors.map((e) => e.code)).toEqual(['send_expired']), { timeout: 5000 });
    expect(await answered).toBe('send_expired');
  });
});
