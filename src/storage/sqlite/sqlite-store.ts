/**
 * The store in one SQLite file in DATA_DIR (better-sqlite3), for one node. WAL mode with
 * synchronous=NORMAL: a write that returned survives the process being killed (kill -9, OOM) at any
 * point; a power cut can lose the last second of writes (STORE_SYNC=full commits to disk each time).
 * Statements are prepared once. Every operation goes through one WriteBatch (group commit: what is
 * queued in one turn of the event loop commits together), so each runs inside a transaction already;
 * better-sqlite3 is synchronous, the port asynchronous.
 */
import Database from 'better-sqlite3';
import type { ErrorCode } from '../../protocol/errors';
import type { ServerPayload } from '../../protocol/events';
import type { AckStatus } from '../../protocol/schemas';
import type {
  DeliveredIncoming,
  EventLog,
  LoggedEvent,
  LoggedEventName,
  Outbox,
  OutboxEntry,
  OutboxState,
  SendRequest,
  SentReceipt,
  Store,
} from '../store';
import { migrate } from './migrations';
import { SqliteDelivered } from './sqlite-delivered';
import { EarlyAcks } from '../early-acks';
import { WriteBatch } from './write-batch';
import { BACKSTOP_BYTES, Checkpointer } from './checkpointer';

/** How often the checkpointer copies the WAL into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;

interface SqliteStoreOptions {
  file: string;
  /** `full`: every commit waits for the disk (power cuts lose nothing); `normal`: only crashes of the process are survived. */
  sync: 'normal' | 'full';
}

interface OutboxRow {
  id: number;
  session_id: string;
  client_message_id: string | null;
  request: string;
  state: OutboxState;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  message_id: string | null;
  chat_id: string | null;
  sent_at: number | null;
  ack: AckStatus | null;
  acked_at: number | null;
  error_code: ErrorCode | null;
  error_message: string | null;
}

interface EventRow {
  session_id: string;
  seq: number;
  event: LoggedEventName;
  payload: string;
  at: number;
}

const FINAL = `state IN ('sent', 'failed', 'unknown')`;

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly outbox: Outbox;
  readonly events: EventLog;
  readonly delivered: DeliveredIncoming;
  private readonly db: Database.Database;
  private readonly batch: WriteBatch;
  private readonly checkpointer: Checkpointer;

  constructor(options: SqliteStoreOptions) {
    this.db = new Database(options.file);
    // Every commit writes each page it touched, whole, to the WAL: half the default size makes a commit
    // cheaper at the same disk use; 1 KB pages packed the rows worse (docs/performance.md). Only a new
    // file takes it; an existing one keeps its page size.
    this.db.pragma('page_size = 2048');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    const pageSize = Number(this.db.pragma('page_size', { simple: true }));
    this.db.pragma(`wal_autocheckpoint = ${Math.floor(BACKSTOP_BYTES / pageSize)}`);
    this.batch = new WriteBatch(this.db);
    this.outbox = new SqliteOutbox(this.db, this.batch);
    this.events = new SqliteEventLog(this.db, this.batch);
    this.delivered = new SqliteDelivered(this.db, this.batch);
    this.checkpointer = new Checkpointer(options.file, CHECKPOINT_INTERVAL_MS);
  }

  async close(): Promise<void> {
    this.batch.flush();
    await this.checkpointer.stop();
    if (this.db.open) this.db.close();
  }
}

class SqliteOutbox implements Outbox {
  private readonly insert;
  private readonly dropFailed;
  private readonly byId;
  private readonly byClient;
  private readonly byMessage;
  private readonly sending;
  private readonly sent;
  private readonly ended;
  private readonly ack;
  private readonly open;
  private readonly pruneOld;
  private readonly pruneExcess;
  private readonly addOne;
  private readonly pruneFinished;
  private readonly earlyAcks = new EarlyAcks();

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
  ) {
    this.insert = db.prepare<[string, string | null, string, number, number], OutboxRow>(
      `INSERT INTO outbox (session_id, client_message_id, request, state, created_at, updated_at) VALUES (?, ?, ?, 'queued', ?, ?) RETURNING *`,
    );
    this.dropFailed = db.prepare<[string, string]>(
      `DELETE FROM outbox WHERE session_id = ? AND client_message_id = ? AND state = 'failed'`,
    );
    this.byId = db.prepare<[number], OutboxRow>(`SELECT * FROM outbox WHERE id = ?`);
    this.byClient = db.prepare<[string, string], OutboxRow>(`SELECT * FROM outbox WHERE session_id = ? AND client_message_id = ?`);
    this.byMessage = db.prepare<[string, string], OutboxRow>(`SELECT * FROM outbox WHERE session_id = ? AND message_id = ?`);
    this.sending = db.prepare<[string, number, number, number]>(
      `UPDATE outbox SET state = 'sending', chat_id = ?, started_at = ?, updated_at = ? WHERE id = ?`,
    );
    this.sent = db.prepare<[string, string, number, number, number], { session_id: string }>(
      `UPDATE outbox SET state = 'sent', message_id = ?, chat_id = ?, sent_at = ?, updated_at = ? WHERE id = ? RETURNING session_id`,
    );
    this.ended = db.prepare<[OutboxState, string, string, number, number]>(
      `UPDATE outbox SET state = ?, error_code = ?, error_message = ?, updated_at = ? WHERE id = ?`,
    );
    this.ack = db.prepare<[AckStatus, number, string, string]>(
      `UPDATE outbox SET ack = ?, acked_at = ? WHERE session_id = ? AND message_id = ?`,
    );
    this.open = db.prepare<[], OutboxRow>(`SELECT * FROM outbox WHERE state IN ('queued', 'sending') ORDER BY id`);
    this.pruneOld = db.prepare<[number, number]>(`DELETE FROM outbox WHERE ${FINAL} AND updated_at < ? AND COALESCE(acked_at, 0) < ?`);
    this.pruneExcess = db.prepare<[number]>(
      `DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE ${FINAL} ORDER BY MAX(updated_at, COALESCE(acked_at, 0)) DESC, id DESC LIMIT -1 OFFSET ?)`,
    );
    this.addOne = (sessionId: string, clientId: string | null, request: string, now: number) => {
      if (clientId !== null) this.dropFailed.run(sessionId, clientId);
      return this.insert.get(sessionId, clientId, request, now, now)!;
    };
    this.pruneFinished = (before: number, maxFinished: number) =>
      this.pruneOld.run(before, before).changes + this.pruneExcess.run(maxFinished).changes;
  }

  add(sessionId: string, request: SendRequest, now: number): Promise<OutboxEntry> {
    return this.batch.run(() => toEntry(this.addOne(sessionId, request.clientMessageId ?? null, JSON.stringify(request), now)));
  }

  get(id: number): Promise<OutboxEntry | undefined> {
    return this.batch.run(() => optional(this.byId.get(id)));
  }

  byClientMessageId(sessionId: string, clientMessageId: string): Promise<OutboxEntry | undefined> {
    return this.batch.run(() => optional(this.byClient.get(sessionId, clientMessageId)));
  }

  byMessageId(sessionId: string, messageId: string): Promise<OutboxEntry | undefined> {
    return this.batch.run(() => optional(this.byMessage.get(sessionId, messageId)));
  }

  markSending(id: number, chatId: string, now: number): Promise<void> {
    return this.batch.run(() => void this.sending.run(chatId, now, now, id));
  }

  markSent(id: number, receipt: SentReceipt, now: number): Promise<void> {
    return this.batch.run(() => {
      const row = this.sent.get(receipt.messageId, receipt.chatId, receipt.sentAt, now, id);
      const ack = row && this.earlyAcks.take(row.session_id, receipt.messageId);
      if (ack) this.ack.run(ack, now, row.session_id, receipt.messageId);
    });
  }

  markEnded(id: number, state: 'failed' | 'unknown', error: { code: ErrorCode; message: string }, now: number): Promise<void> {
    return this.batch.run(() => void this.ended.run(state, error.code, error.message, now, id));
  }

  noteAck(sessionId: string, messageId: string, ack: AckStatus, now: number): Promise<void> {
    return this.batch.run(() => {
      if (this.ack.run(ack, now, sessionId, messageId).changes === 0) this.earlyAcks.keep(sessionId, messageId, ack);
    });
  }

  unfinished(): Promise<OutboxEntry[]> {
    return this.batch.run(() => this.open.all().map(toEntry));
  }

  prune(before: number, maxFinished: number): Promise<number> {
    return this.batch.run(() => this.pruneFinished(before, maxFinished));
  }
}

/**
 * Seqs are counted in memory (no counter row rewritten per event): at open, from the highest seq in
 * `events` or in `event_seq`, which the prune writes before it deletes, so a seq is never given twice.
 */
class SqliteEventLog implements EventLog {
  private readonly insert;
  private readonly after_;
  private readonly oldest;
  private readonly pruneOld;
  private readonly pruneBelow;
  private readonly keepLastSeq;
  private readonly appendOne;
  private readonly pruneKept;
  private readonly readLastSeqs;
  private lastSeq: Map<string, number>;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
  ) {
    this.insert = db.prepare<[string, number, string, string, number]>(
      `INSERT INTO events (session_id, seq, event, payload, at) VALUES (?, ?, ?, ?, ?)`,
    );
    this.after_ = db.prepare<[string, number, number], EventRow>(
      `SELECT * FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
    );
    this.oldest = db.prepare<[string], { seq: number | null }>(`SELECT MIN(seq) AS seq FROM events WHERE session_id = ?`);
    const lastSeqs = db.prepare<[], { session_id: string; last_seq: number }>(
      `SELECT session_id, MAX(last_seq) AS last_seq FROM (SELECT session_id, last_seq FROM event_seq UNION ALL SELECT session_id, MAX(seq) FROM events GROUP BY session_id) GROUP BY session_id`,
    );
    this.pruneOld = db.prepare<[number]>(`DELETE FROM events WHERE at < ?`);
    this.pruneBelow = db.prepare<[string, number]>(`DELETE FROM events WHERE session_id = ? AND seq <= ?`);
    this.keepLastSeq = db.prepare<[string, number]>(
      `INSERT INTO event_seq (session_id, last_seq) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)`,
    );
    this.readLastSeqs = () => new Map(lastSeqs.all().map((row) => [row.session_id, row.last_seq]));
    this.lastSeq = this.readLastSeqs();
    // A rolled-back batch takes its events with it: count again from what is on disk.
    batch.onRollback(() => (this.lastSeq = this.readLastSeqs()));
    this.appendOne = (sessionId: string, event: LoggedEventName, payload: string, now: number) => {
      const seq = (this.lastSeq.get(sessionId) ?? 0) + 1;
      this.insert.run(sessionId, seq, event, payload, now);
      this.lastSeq.set(sessionId, seq);
      return seq;
    };
    this.pruneKept = (before: number, maxPerSession: number) => {
      for (const [sessionId, seq] of this.lastSeq) this.keepLastSeq.run(sessionId, seq);
      let removed = this.pruneOld.run(before).changes;
      for (const [sessionId, seq] of this.lastSeq)
        if (seq > maxPerSession) removed += this.pruneBelow.run(sessionId, seq - maxPerSession).changes;
      return removed;
    };
  }

  append<E extends LoggedEventName>(sessionId: string, event: E, payload: ServerPayload<E>, now: number): Promise<number> {
    return this.batch.run(() => this.appendOne(sessionId, event, JSON.stringify(payload), now));
  }

  after(sessionId: string, seq: number, limit: number): Promise<LoggedEvent[]> {
    return this.batch.run(() =>
      this.after_.all(sessionId, seq, limit).map((row) => ({
        sessionId: row.session_id,
        seq: row.seq,
        event: row.event,
        payload: JSON.parse(row.payload) as ServerPayload<LoggedEventName>,
        at: row.at,
      })),
    );
  }

  oldestSeq(sessionId: string): Promise<number> {
    return this.batch.run(() => this.oldest.get(sessionId)?.seq ?? 0);
  }

  lastSeqs(): Promise<Map<string, number>> {
    return this.batch.run(() => new Map(this.lastSeq));
  }

  prune(before: number, maxPerSession: number): Promise<number> {
    return this.batch.run(() => this.pruneKept(before, maxPerSession));
  }
}

function optional(row: OutboxRow | undefined): OutboxEntry | undefined {
  return row && toEntry(row);
}

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    sessionId: row.session_id,
    ...(row.client_message_id !== null && { clientMessageId: row.client_message_id }),
    request: JSON.parse(row.request) as SendRequest,
    state: row.state,
    createdAt: row.created_at,
    updatedAt: Math.max(row.updated_at, row.acked_at ?? 0),
    ...(row.started_at !== null && { startedAt: row.started_at }),
    ...(row.message_id !== null && { messageId: row.message_id }),
    ...(row.chat_id !== null && { chatId: row.chat_id }),
    ...(row.sent_at !== null && { sentAt: row.sent_at }),
    ...(row.ack !== null && { ack: row.ack }),
    ...(row.error_code !== null && { error: { code: row.error_code, message: row.error_message ?? '' } }),
  };
}
