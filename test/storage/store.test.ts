/** The store's contract, on both implementations: the outbox with its receipts, and the event log. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/storage/memory-store';
import { MIGRATIONS, StoreVersionError } from '../../src/storage/sqlite/migrations';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store';
import type { SendRequest, Store } from '../../src/storage/store';
import { runNode } from '../support/gateway-process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = () => path.join(dir, `store-${(files += 1)}.db`);

const text = (to: string, clientMessageId?: string): SendRequest => ({
  sessionId: 's1',
  to,
  type: 'text',
  message: `hello ${to}`,
  ...(clientMessageId !== undefined && { clientMessageId }),
});

const IMPLEMENTATIONS: Array<[string, () => Store]> = [
  ['sqlite', () => new SqliteStore({ file: newFile(), sync: 'normal' })],
  ['memory', () => new MemoryStore()],
];

describe.each(IMPLEMENTATIONS)('%s store', (_, open) => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  it('walks a send through queued → sending → sent, with its receipt by clientMessageId and by messageId', async () => {
    store = open();
    const entry = await store.outbox.add('s1', text('6281', 'c-1'), 1000);
    expect(entry).toMatchObject({
      sessionId: 's1',
      clientMessageId: 'c-1',
      state: 'queued',
      createdAt: 1000,
      request: text('6281', 'c-1'),
    });
    await store.outbox.markSending(entry.id, '6281@c.us', 1001);
    expect(await store.outbox.unfinished()).toMatchObject([{ id: entry.id, state: 'sending', chatId: '6281@c.us', startedAt: 1001 }]);
    await store.outbox.markSent(entry.id, { messageId: 'true_6281@c.us_X', chatId: '6281@c.us', sentAt: 1002 }, 1002);
    await store.outbox.noteAck('s1', 'true_6281@c.us_X', 'read', 1003);
    const receipt = {
      id: entry.id,
      state: 'sent',
      messageId: 'true_6281@c.us_X',
      chatId: '6281@c.us',
      sentAt: 1002,
      ack: 'read',
      updatedAt: 1003,
    };
    expect(await store.outbox.byClientMessageId('s1', 'c-1')).toMatchObject(receipt);
    expect(await store.outbox.byMessageId('s1', 'true_6281@c.us_X')).toMatchObject(receipt);
    expect(await store.outbox.byClientMessageId('s2', 'c-1')).toBeUndefined();
    expect(await store.outbox.unfinished()).toEqual([]);
  });

  it('keeps what it cannot say went out apart from what failed, and lets only a failed send be tried again', async () => {
    store = open();
    const failed = await store.outbox.add('s1', text('6281', 'c-f'), 1);
    const unknown = await store.outbox.add('s1', text('6282', 'c-u'), 2);
    await store.outbox.markEnded(failed.id, 'failed', { code: 'not_on_whatsapp', message: 'no' }, 3);
    await store.outbox.markEnded(unknown.id, 'unknown', { code: 'send_unconfirmed', message: 'maybe' }, 4);
    expect(await store.outbox.byClientMessageId('s1', 'c-u')).toMatchObject({ state: 'unknown', error: { code: 'send_unconfirmed' } });

    const retry = await store.outbox.add('s1', text('6281', 'c-f'), 5);
    expect(retry.id).toBeGreaterThan(unknown.id);
    expect(await store.outbox.byClientMessageId('s1', 'c-f')).toMatchObject({ id: retry.id, state: 'queued' });
    await expect(store.outbox.add('s1', text('6282', 'c-u'), 6)).rejects.toThrow();
  });

  it('lists unfinished sends in the order they were accepted, across sessions', async () => {
    store = open();
    const ids = [];
    for (const session of ['s2', 's1', 's2']) ids.push((await store.outbox.add(session, { ...text('6281'), sessionId: session }, 10)).id);
    await store.outbox.markSending(ids[1]!, '6281@c.us', 11);
    expect((await store.outbox.unfinished()).map((entry) => [entry.sessionId, entry.state])).toEqual([
      ['s2', 'queued'],
      ['s1', 'sending'],
      ['s2', 'queued'],
    ]);
  });

  it('forgets finished sends past their time or past the count, never unfinished ones', async () => {
    store = open();
    const [old, recent, newer, open_] = [
      await store.outbox.add('s1', text('1', 'old'), 1),
      await store.outbox.add('s1', text('2', 'recent'), 1),
      await store.outbox.add('s1', text('3', 'newer'), 1),
      await store.outbox.add('s1', text('4', 'open'), 1),
    ];
    await store.outbox.markEnded(old!.id, 'failed', { code: 'engine_error', message: '' }, 100);
    await store.outbox.markSent(recent!.id, { messageId: 'm2', chatId: 'c', sentAt: 200 }, 200);
    await store.outbox.markSent(newer!.id, { messageId: 'm3', chatId: 'c', sentAt: 300 }, 300);
    expect(await store.outbox.prune(150, 10)).toBe(1);
    expect(await store.outbox.prune(0, 1)).toBe(1);
    expect(await store.outbox.byClientMessageId('s1', 'recent')).toBeUndefined();
    expect(await store.outbox.byMessageId('s1', 'm3')).toBeDefined();
    expect(await store.outbox.get(open_!.id)).toMatchObject({ state: 'queued' });
  });

  it('keeps a receipt whose ack came later as long as the ack is recent', async () => {
    store = open();
    const entry = await store.outbox.add('s1', text('6281', 'acked'), 1);
    await store.outbox.markSent(entry.id, { messageId: 'm1', chatId: '6281@c.us', sentAt: 100 }, 100);
    await store.outbox.noteAck('s1', 'm1', 'read', 300);
    expect(await store.outbox.prune(200, 10)).toBe(0);
    expect(await store.outbox.byMessageId('s1', 'm1')).toMatchObject({ ack: 'read', updatedAt: 300 });
    expect(await store.outbox.prune(301, 10)).toBe(1);
  });

  it('applies an ack that came before the send was recorded once the send is, once', async () => {
    store = open();
    const early = await store.outbox.add('s1', text('6281'), 1000);
    const later = await store.outbox.add('s1', text('6282'), 1000);
    await store.outbox.noteAck('s1', 'm-early', 'server', 1001);
    await store.outbox.markSent(early.id, { messageId: 'm-early', chatId: '6281@c.us', sentAt: 1002 }, 1002);
    expect(await store.outbox.get(early.id)).toMatchObject({ state: 'sent', ack: 'server' });
    await store.outbox.markSent(later.id, { messageId: 'm-later', chatId: '6282@c.us', sentAt: 1003 }, 1003);
    expect((await store.outbox.get(later.id))?.ack).toBeUndefined();
  });

  it('runs operations issued together in the order they were issued: a read sees the writes before it', async () => {
    store = open();
    const added = store.outbox.add('s1', text('6281', 'c-1'), 1000);
    const seen = store.outbox.byClientMessageId('s1', 'c-1');
    const seqs = [1, 2, 3].map((i) => store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: `m${i}`, ack: 'server' }, i));
    const events = store.events.after('s1', 0, 10);
    expect(await seen).toMatchObject({ id: (await added).id, state: 'queued' });
    expect(await Promise.all(seqs)).toEqual([1, 2, 3]);
    expect((await events).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('numbers events per session from 1, gives them back after a seq in order, and never reuses a seq', async () => {
    store = open();
    const status = { sessionId: 's1', status: 'connected', isConnected: true } as const;
    expect(await store.events.append('s1', 'session_status', status, 1)).toBe(1);
    expect(await store.events.append('s2', 'session_status', { ...status, sessionId: 's2' }, 1)).toBe(1);
    for (let i = 0; i < 5; i += 1)
      await store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: `m${i}`, ack: 'server' }, 10 + i);
    const after = await store.events.after('s1', 2, 2);
    expect(after.map((e) => [e.seq, e.event, e.at])).toEqual([
      [3, 'message_ack', 11],
      [4, 'message_ack', 12],
    ]);
    expect(after[0]!.payload).toEqual({ sessionId: 's1', messageId: 'm1', ack: 'server' });

    expect(await store.events.prune(12, 100)).toBe(4); // seq 1 (at 1), 2 (at 10), 3 (at 11) of s1, seq 1 of s2
    expect(await store.events.oldestSeq('s1')).toBe(4);
    expect(await store.events.prune(0, 1)).toBe(2);
    expect(await store.events.oldestSeq('s1')).toBe(6);
    expect(await store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: 'm9', ack: 'read' }, 20)).toBe(7);
    expect(await store.events.oldestSeq('nobody')).toBe(0);
    expect(await store.events.after('nobody', 0, 10)).toEqual([]);
    expect(await store.events.lastSeqs()).toEqual(
      new Map([
        ['s1', 7],
        ['s2', 1],
      ]),
    );
  });
});

describe('the SQLite store file', () => {
  it('keeps everything across a reopen, and its schema at the latest version', async () => {
    const file = newFile();
    const first = new SqliteStore({ file, sync: 'full' });
    const entry = await first.outbox.add('s1', text('6281', 'kept'), 1);
    await first.events.append('s1', 'session_status', { sessionId: 's1', status: 'qr', isConnected: false }, 1);
    await first.close();

    const again = new SqliteStore({ file, sync: 'normal' });
    expect(await again.outbox.get(entry.id)).toMatchObject({ clientMessageId: 'kept', state: 'queued' });
    expect(await again.events.append('s1', 'session_status', { sessionId: 's1', status: 'connected', isConnected: true }, 2)).toBe(2);
    await again.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('goes on numbering after a reopen even when every event was pruned', async () => {
    const file = newFile();
    const first = new SqliteStore({ file, sync: 'normal' });
    for (const at of [1, 2, 3]) await first.events.append('s1', 'message_ack', { sessionId: 's1', messageId: `m${at}`, ack: 'server' }, at);
    expect(await first.events.prune(10, 100)).toBe(3);
    await first.close();
    const again = new SqliteStore({ file, sync: 'normal' });
    expect(await again.events.lastSeqs()).toEqual(new Map([['s1', 3]]));
    expect(await again.events.append('s1', 'message_ack', { sessionId: 's1', messageId: 'm4', ack: 'read' }, 20)).toBe(4);
    await again.close();
  });

  it('refuses a file written by a newer gateway, saying so', () => {
    const file = newFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => new SqliteStore({ file, sync: 'normal' })).toThrow(StoreVersionError);
  });
});

describe("the SQLite store's group commit", () => {
  it('commits what is issued in one turn together, and fails only the operation that failed', async () => {
    const file = newFile();
    const store = new SqliteStore({ file, sync: 'normal' });
    const first = store.outbox.add('s1', text('6281', 'c-1'), 1000);
    const duplicate = store.outbox.add('s1', text('6282', 'c-1'), 1000); // the same clientMessageId: refused by the index
    const third = store.outbox.add('s1', text('6283', 'c-3'), 1000);
    await expect(duplicate).rejects.toThrow(/UNIQUE/);
    expect((await first).request.to).toBe('6281');
    expect((await third).request.to).toBe('6283');
    await store.close();
    const reopened = new SqliteStore({ file, sync: 'normal' });
    expect((await reopened.outbox.unfinished()).map((entry) => entry.request.to)).toEqual(['6281', '6283']);
    await reopened.close();
  });

  it('numbers events without a gap when an operation of their batch fails', async () => {
    const store = new SqliteStore({ file: newFile(), sync: 'normal' });
    await store.outbox.add('s1', text('6281', 'c-1'), 1000);
    const ack = (messageId: string) => store.events.append('s1', 'message_ack', { sessionId: 's1', messageId, ack: 'server' }, 1);
    const first = ack('m1');
    const duplicate = store.outbox.add('s1', text('6282', 'c-1'), 1000); // refused by the index: the batch rolls back
    const second = ack('m2');
    await expect(duplicate).rejects.toThrow(/UNIQUE/);
    expect([await first, await second, await ack('m3')]).toEqual([1, 2, 3]);
    expect((await store.events.after('s1', 0, 10)).map((e) => e.seq)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('answers an operation issued after it closed with a rejection, not a crash', async () => {
    const store = new SqliteStore({ file: newFile(), sync: 'normal' });
    await store.close();
    await expect(store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: 'm', ack: 'server' }, 1)).rejects.toThrow(
      /not open/,
    );
  });

  it('writes what is still queued before it closes', async () => {
    const file = newFile();
    const store = new SqliteStore({ file, sync: 'normal' });
    const appended = store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: 'm', ack: 'server' }, 1);
    await store.close();
    expect(await appended).toBe(1);
    const reopened = new SqliteStore({ file, sync: 'normal' });
    expect(await reopened.events.lastSeqs()).toEqual(new Map([['s1', 1]]));
    await reopened.close();
  });
});

describe('the SQLite store and kill -9', () => {
  it.each([5, 50, 500])('keeps every write that returned when the process is killed %i writes in', async (writes) => {
    const file = newFile();
    const writer = runNode(['--import', 'tsx', 'test/support/store-writer.ts', file]);
    const finished = () => [...writer.output().matchAll(/^ok (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    await vi.waitFor(() => expect(finished().length).toBeGreaterThanOrEqual(writes), { timeout: 20_000, interval: 5 });
    writer.child.kill('SIGKILL');
    await writer.exited;
    const said = finished();

    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = new SqliteStore({ file, sync: 'normal' });
    for (const [id, seq] of said) {
      expect(await store.outbox.get(id!)).toMatchObject({ state: 'sent', messageId: `id${id}` });
      expect((await store.events.after('s1', seq! - 1, 1))[0]).toMatchObject({ seq, payload: { messageId: `id${id}` } });
    }
    // Whatever the kill interrupted is there whole or not at all, and the numbering goes on from it.
    const next = await store.events.append('s1', 'message_ack', { sessionId: 's1', messageId: 'after', ack: 'read' }, 0);
    expect((await store.events.after('s1', 0, next)).map((e) => e.seq)).toEqual(Array.from({ length: next }, (_, i) => i + 1));
    await store.close();
  });
});

describe.each(IMPLEMENTATIONS)('%s store: delivered incoming messages (catch-up, issue 15)', (_, open) => {
  let store: Store;
  afterEach(async () => {
    await store.close();
  });

  it('knows which ids were delivered, per session, and keeps the newest WhatsApp time as the watermark', async () => {
    store = open();
    expect(await store.delivered.watermark('s1')).toBeUndefined();
    await store.delivered.record('s1', 'm1', 5000, 100);
    await store.delivered.record('s1', 'm2', 3000, 101); // an older message found later: the watermark stays
    await store.delivered.record('s2', 'm3', 9000, 102);
    expect(await store.delivered.known('s1', ['m1', 'm2', 'm3', 'm4'])).toEqual(new Set(['m1', 'm2']));
    expect(await store.delivered.known('s2', ['m1', 'm3'])).toEqual(new Set(['m3']));
    expect(await store.delivered.known('s1', [])).toEqual(new Set());
    expect(await store.delivered.watermark('s1')).toBe(5000);
    expect(await store.delivered.watermark('s2')).toBe(9000);
  });

  it('advances a watermark, never back, and sets one for a session without', async () => {
    store = open();
    await store.delivered.advance('s1', 2000);
    expect(await store.delivered.watermark('s1')).toBe(2000);
    await store.delivered.advance('s1', 1000);
    expect(await store.delivered.watermark('s1')).toBe(2000);
    await store.delivered.record('s1', 'm1', 1500, 1);
    expect(await store.delivered.watermark('s1')).toBe(2000);
  });

  it('recording an id twice keeps it once; pruning forgets ids recorded before the cut, not the watermarks', async () => {
    store = open();
    await store.delivered.record('s1', 'old', 1000, 10);
    await store.delivered.record('s1', 'old', 1000, 50);
    await store.delivered.record('s1', 'new', 2000, 30);
    expect(await store.delivered.prune(20)).toBe(1);
    expect(await store.delivered.known('s1', ['old', 'new'])).toEqual(new Set(['new']));
    expect(await store.delivered.watermark('s1')).toBe(2000);
  });
});

describe('the SQLite store file: delivered incoming messages (catch-up, issue 15)', () => {
  it('keeps them and the watermarks across a reopen', async () => {
    const file = newFile();
    const first = new SqliteStore({ file, sync: 'normal' });
    await first.delivered.record('s1', 'm1', 4000, 1);
    await first.close();
    const again = new SqliteStore({ file, sync: 'normal' });
    expect(await again.delivered.known('s1', ['m1'])).toEqual(new Set(['m1']));
    expect(await again.delivered.watermark('s1')).toBe(4000);
    await again.close();
  });

  it('upgrades a file of the first schema in place', async () => {
    const file = newFile();
    const raw = new Database(file);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw.close();
    const store = new SqliteStore({ file, sync: 'normal' });
    await store.delivered.record('s1', 'm1', 1, 1);
    expect(await store.delivered.known('s1', ['m1'])).toEqual(new Set(['m1']));
    await store.close();
  });
});
