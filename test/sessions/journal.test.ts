import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger';
import type { ServerEventName } from '../../src/protocol/events';
import { Journal } from '../../src/sessions/journal';
import type { SessionEvent } from '../../src/sessions/publisher';
import { MemoryStore } from '../../src/storage/memory-store';
import type { Store } from '../../src/storage/store';

const received = (text: string) =>
  ({
    sessionId: 's1',
    message: {
      id: `false_1@c.us_${text}`,
      key: { remoteJid: '1@c.us', id: text, fromMe: false },
      from: '1',
      to: '2',
      chatId: '1@c.us',
      text,
      type: 'text',
      isGroup: false,
      timestamp: 1,
      hasMedia: false,
      fromMe: false,
    },
  }) as const;

/** A journal over `store` whose published events land in `out`; `holding` drops them, as a hold room would for a resuming client. */
async function journalOver(store: Store = new MemoryStore()) {
  const out: Array<{ sessionId: string; event: ServerEventName; payload: Record<string, unknown> }> = [];
  const delivery = { holding: false };
  const journal = await Journal.open(
    store,
    (sessionId) => (event, payload) => {
      if (!delivery.holding) out.push({ sessionId, event, payload: payload as Record<string, unknown> });
    },
    silentLogger,
  );
  return { journal, out, delivery, store };
}

const seqs = (events: Array<{ payload: Record<string, unknown> }>) => events.map((e) => e.payload.seq);

describe('Journal', () => {
  it('numbers the logged events of each session and sends every event in the order it was published', async () => {
    const { journal, out } = await journalOver();
    const emit = journal.publisher('s1');
    emit('session_status', { sessionId: 's1', status: 'qr', isConnected: false });
    emit('qr_code', { sessionId: 's1', qrCode: 'data:', qr: '2@x', attempt: 1 });
    emit('message_received', received('a'));
    journal.publisher('s2')('message_received', { ...received('b'), sessionId: 's2' });
    await vi.waitFor(() => expect(out).toHaveLength(4));
    // Sessions are journaled side by side: the order holds within each.
    const of = (sessionId: string) => out.filter((e) => e.sessionId === sessionId).map((e) => [e.event, e.payload.seq]);
    expect(of('s1')).toEqual([
      ['session_status', 1],
      ['qr_code', undefined],
      ['message_received', 2],
    ]);
    expect(of('s2')).toEqual([['message_received', 1]]);
    expect(journal.lastSeq('s1')).toBe(2);
    expect(journal.allLastSeqs()).toEqual(
      new Map([
        ['s1', 2],
        ['s2', 1],
      ]),
    );
  });

  it('goes on numbering after a restart, from what the store holds', async () => {
    const store = new MemoryStore();
    const first = await journalOver(store);
    await first.journal.publish('s1', 'message_received', received('a'));
    await first.journal.publish('s1', 'message_received', received('b'));
    const second = await journalOver(store);
    expect(second.journal.lastSeq('s1')).toBe(2);
    expect(await second.journal.publish('s1', 'message_received', received('c'))).toMatchObject({ seq: 3 });
  });

  it('still sends an event the store could not take, without a seq', async () => {
    const store = new MemoryStore();
    store.events.append = () => Promise.reject(new Error('disk full'));
    const { journal, out } = await journalOver(store);
    expect(await journal.publish('s1', 'message_received', received('a'))).not.toHaveProperty('seq');
    expect(out).toHaveLength(1);
  });

  it('replays what came after a seq, marked, then hands over to live events with no gap and no duplicate', async () => {
    const { journal, out, delivery } = await journalOver();
    for (let i = 1; i <= 1234; i += 1) await journal.publish('s1', 'message_received', received(`m${i}`));
    out.length = 0;
    delivery.holding = true; // the resuming client is in the hold room from here on
    const replayed: Array<{ payload: Record<string, unknown> }> = [];
    const replay = journal.replay({
      sessionId: 's1',
      since: 10,
      deliver: (e) => replayed.push(e),
      live: () => (delivery.holding = false),
    });
    // Published while the replay runs: each reaches the client once, by the replay or live.
    const during = Array.from({ length: 50 }, (_, i) => journal.publish('s1', 'message_received', received(`late${i}`)));
    const report = await replay;
    await Promise.all(during);
    await journal.publish('s1', 'message_received', received('after'));
    const all = [...seqs(replayed), ...seqs(out)];
    expect(all).toEqual(Array.from({ length: 1285 - 10 }, (_, i) => i + 11));
    expect(replayed.every((e) => e.payload.replayed === true)).toBe(true);
    expect(out.some((e) => e.payload.replayed)).toBe(false);
    expect(report).toMatchObject({ events: replayed.length, lastSeq: replayed.at(-1)!.payload.seq, truncated: false });
  });

  it('sends an event published right after the last page was read live, not into the gap', async () => {
    const { journal, out, delivery, store } = await journalOver();
    for (let i = 1; i <= 3; i += 1) await journal.publish('s1', 'message_received', received(`m${i}`));
    out.length = 0;
    const read = store.events.after.bind(store.events);
    const racing: Array<Promise<unknown>> = [];
    store.events.after = async (...args) => {
      const page = await read(...args);
      // An event arrives after each read, the last one included: between the read and live().
      racing.push(journal.publish('s1', 'message_received', received(`racing${racing.length}`)));
      return page;
    };
    delivery.holding = true;
    const replayed: Array<{ payload: Record<string, unknown> }> = [];
    await journal.replay({ sessionId: 's1', since: 0, deliver: (e) => replayed.push(e), live: () => (delivery.holding = false) });
    await Promise.all(racing);
    expect([...seqs(replayed), ...seqs(out)]).toEqual(Array.from({ length: 3 + racing.length }, (_, i) => i + 1));
  });

  it('leaves out the seqs the receiver has, and says when the log no longer reaches back to `since`', async () => {
    const { journal, store } = await journalOver();
    for (let i = 1; i <= 10; i += 1) await journal.publish('s1', 'message_received', received(`m${i}`));
    const got: unknown[] = [];
    const collect = { deliver: (e: { seq: number }) => got.push(e.seq), live: () => undefined };
    expect(await journal.replay({ sessionId: 's1', since: 2, ...collect, has: (seq) => seq > 5 })).toMatchObject({ events: 3 });
    expect(got).toEqual([3, 4, 5]);

    await store.events.prune(0, 4); // keeps seq 7 … 10
    got.length = 0;
    expect(await journal.replay({ sessionId: 's1', since: 2, ...collect })).toEqual({ events: 4, lastSeq: 10, truncated: true });
    expect(await journal.replay({ sessionId: 's1', since: 6, ...collect })).toMatchObject({ truncated: false });
    // A seq the log never gave out: its store was reset; everything kept is sent.
    got.length = 0;
    expect(await journal.replay({ sessionId: 's1', since: 99, ...collect })).toEqual({ events: 4, lastSeq: 10, truncated: true });
    expect(got).toEqual([7, 8, 9, 10]);
  });

  it("keeps a sent message's latest ack in the outbox, also one that came before the send was recorded", async () => {
    const { journal, store } = await journalOver();
    const entry = await store.outbox.add('s1', { sessionId: 's1', to: '1', type: 'text', message: 'hi' }, 1);
    const other = await store.outbox.add('s1', { sessionId: 's1', to: '1', type: 'text', message: 'ho' }, 1);
    await journal.publish('s1', 'message_ack', { sessionId: 's1', messageId: 'early', ack: 'server' });
    await store.outbox.markSent(entry.id, { messageId: 'early', chatId: '1@c.us', sentAt: 2 }, 2);
    expect(await store.outbox.get(entry.id)).toMatchObject({ state: 'sent', ack: 'server' });
    await store.outbox.markSent(other.id, { messageId: 'm1', chatId: '1@c.us', sentAt: 2 }, 2);
    await journal.publish('s1', 'message_ack', { sessionId: 's1', messageId: 'm1', ack: 'read' });
    expect(await store.outbox.get(other.id)).toMatchObject({ ack: 'read' });
  });

  it('gives every published event to observers as one SessionEvent', async () => {
    const seen: SessionEvent[] = [];
    const journal = await Journal.open(
      new MemoryStore(),
      () => (event, payload) => seen.push({ event, payload } as SessionEvent),
      silentLogger,
    );
    await journal.publish('s1', 'message_ack', { sessionId: 's1', messageId: 'x', ack: 'device' });
    expect(seen).toEqual([{ event: 'message_ack', payload: { sessionId: 's1', messageId: 'x', ack: 'device', seq: 1 } }]);
  });
});
