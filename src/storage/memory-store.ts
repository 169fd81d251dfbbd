/**
 * The store in memory (STORE=memory): the same behaviour as the SQLite store while the process lives,
 * nothing after. For benchmarks (the cost of durability) and for a gateway that must write nothing.
 */
import type { ErrorCode } from '../protocol/errors';
import type { ServerPayload } from '../protocol/events';
import type { AckStatus } from '../protocol/schemas';
import {
  FINAL_STATES,
  type EventLog,
  type LoggedEvent,
  type LoggedEventName,
  type Outbox,
  type OutboxEntry,
  type SendRequest,
  type SentReceipt,
  type Store,
} from './store';
import { EarlyAcks } from './early-acks';
import { MemoryDelivered } from './memory-delivered';

export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly outbox = new MemoryOutbox();
  readonly events = new MemoryEventLog();
  readonly delivered = new MemoryDelivered();

  async close(): Promise<void> {}
}

class MemoryOutbox implements Outbox {
  /** By id; a Map keeps insertion order, which is id order. */
  private readonly entries = new Map<number, OutboxEntry>();
  private readonly byClient = new Map<string, number>();
  private readonly byMessage = new Map<string, number>();
  private readonly earlyAcks = new EarlyAcks();
  private lastId = 0;

  async add(sessionId: string, request: SendRequest, now: number): Promise<OutboxEntry> {
    const { clientMessageId } = request;
    if (clientMessageId !== undefined) {
      const known = this.entries.get(this.byClient.get(key(sessionId, clientMessageId)) ?? 0);
      if (known && known.state !== 'failed') throw new Error(`outbox: ${sessionId} already has clientMessageId ${clientMessageId}`);
      if (known) this.entries.delete(known.id);
    }
    this.lastId += 1;
    const entry: OutboxEntry = {
      id: this.lastId,
      sessionId,
      ...(clientMessageId !== undefined && { clientMessageId }),
      request,
      state: 'queued',
      createdAt: now,
      updatedAt: now,
    };
    this.entries.set(entry.id, entry);
    if (clientMessageId !== undefined) this.byClient.set(key(sessionId, clientMessageId), entry.id);
    return { ...entry };
  }

  async get(id: number): Promise<OutboxEntry | undefined> {
    return copy(this.entries.get(id));
  }

  async byClientMessageId(sessionId: string, clientMessageId: string): Promise<OutboxEntry | undefined> {
    return copy(this.entries.get(this.byClient.get(key(sessionId, clientMessageId)) ?? 0));
  }

  async byMessageId(sessionId: string, messageId: string): Promise<OutboxEntry | undefined> {
    return copy(this.entries.get(this.byMessage.get(key(sessionId, messageId)) ?? 0));
  }

  async markSending(id: number, chatId: string, now: number): Promise<void> {
    this.update(id, { state: 'sending', chatId, startedAt: now, updatedAt: now });
  }

  async markSent(id: number, receipt: SentReceipt, now: number): Promise<void> {
    const entry = this.update(id, { state: 'sent', ...receipt, updatedAt: now });
    if (!entry) return;
    this.byMessage.set(key(entry.sessionId, receipt.messageId), id);
    const ack = this.earlyAcks.take(entry.sessionId, receipt.messageId);
    if (ack) entry.ack = ack;
  }

  async markEnded(id: number, state: 'failed' | 'unknown', error: { code: ErrorCode; message: string }, now: number): Promise<void> {
    this.update(id, { state, error, updatedAt: now });
  }

  async noteAck(sessionId: string, messageId: string, ack: AckStatus, now: number): Promise<void> {
    const id = this.byMessage.get(key(sessionId, messageId));
    if (id === undefined || !this.update(id, { ack, updatedAt: now })) this.earlyAcks.keep(sessionId, messageId, ack);
  }

  async unfinished(): Promise<OutboxEntry[]> {
    return [...this.entries.values()].filter((entry) => !FINAL_STATES.has(entry.state)).map((entry) => ({ ...entry }));
  }

  async prune(before: number, maxFinished: number): Promise<number> {
    const finished = [...this.entries.values()].filter((entry) => FINAL_STATES.has(entry.state));
    const newestFirst = finished.sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id);
    const doomed = newestFirst.filter((entry, index) => entry.updatedAt < before || index >= maxFinished);
    for (const entry of doomed) this.forget(entry);
    return doomed.length;
  }

  private update(id: number, changes: Partial<OutboxEntry>): OutboxEntry | undefined {
    const entry = this.entries.get(id);
    if (entry) Object.assign(entry, changes);
    return entry;
  }

  private forget(entry: OutboxEntry): void {
    this.entries.delete(entry.id);
    if (entry.clientMessageId !== undefined) this.byClient.delete(key(entry.sessionId, entry.clientMessageId));
    if (entry.messageId !== undefined) this.byMessage.delete(key(entry.sessionId, entry.messageId));
  }
}

class MemoryEventLog implements EventLog {
  private readonly sessions = new Map<string, { lastSeq: number; events: LoggedEvent[] }>();

  async append<E extends LoggedEventName>(sessionId: string, event: E, payload: ServerPayload<E>, now: number): Promise<number> {
    const log = this.sessions.get(sessionId) ?? this.sessions.set(sessionId, { lastSeq: 0, events: [] }).get(sessionId)!;
    log.lastSeq += 1;
    log.events.push({ sessionId, seq: log.lastSeq, event, payload, at: now } as LoggedEvent);
    return log.lastSeq;
  }

  async after(sessionId: string, seq: number, limit: number): Promise<LoggedEvent[]> {
    const events = this.sessions.get(sessionId)?.events ?? [];
    const start = events.findIndex((logged) => logged.seq > seq);
    return start < 0 ? [] : events.slice(start, start + limit);
  }

  async oldestSeq(sessionId: string): Promise<number> {
    return this.sessions.get(sessionId)?.events[0]?.seq ?? 0;
  }

  async lastSeqs(): Promise<Map<string, number>> {
    return new Map([...this.sessions].map(([sessionId, log]) => [sessionId, log.lastSeq]));
  }

  async prune(before: number, maxPerSession: number): Promise<number> {
    let removed = 0;
    for (const log of this.sessions.values()) {
      const keep = log.events.filter((logged, index) => logged.at >= before && index >= log.events.length - maxPerSession);
      removed += log.events.length - keep.length;
      log.events = keep;
    }
    return removed;
  }
}

const key = (sessionId: string, id: string) => `${sessionId}\u0000${id}`;

function copy(entry: OutboxEntry | undefined): OutboxEntry | undefined {
  return entry && { ...entry };
}
