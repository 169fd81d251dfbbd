/**
 * The durable store, as a port: the outbox of sends (with their receipts) and the event log of every
 * session. `sqlite-store.ts` keeps them in DATA_DIR (one node); `memory-store.ts` keeps them in memory
 * (no durability: benchmarks, and STORE=memory). A store for several nodes (Redis) implements the same
 * interface: every method is asynchronous, and nothing above it knows where the data lives.
 * What is durable, for how long, and what a bot should do: docs/decisions.md, "Durable delivery".
 */
import type { ErrorCode } from '../protocol/errors';
import type { RequestPayload, ServerEventName, ServerPayload } from '../protocol/events';
import type { AckStatus, OutboxState } from '../protocol/schemas';

export type SendRequest = RequestPayload<'send_whatsapp_message'>;

export type { OutboxState };
/** queued → sending → sent | failed | unknown (it may have gone out: the process died mid-send, or no answer came). */
export const FINAL_STATES: ReadonlySet<OutboxState> = new Set(['sent', 'failed', 'unknown']);

export interface OutboxEntry {
  /** Increases in the order sends were accepted, across sessions. */
  id: number;
  sessionId: string;
  clientMessageId?: string;
  /** The request as it was accepted, to carry it out again after a restart. */
  request: SendRequest;
  state: OutboxState;
  createdAt: number;
  updatedAt: number;
  /** When it was handed to WhatsApp (state sending and later). */
  startedAt?: number;
  messageId?: string;
  /** The chat it was handed to WhatsApp for (state sending and later), then the one WhatsApp put it in. */
  chatId?: string;
  sentAt?: number;
  /** The latest ack WhatsApp reported for it. */
  ack?: AckStatus;
  error?: { code: ErrorCode; message: string };
}

export interface SentReceipt {
  messageId: string;
  chatId: string;
  sentAt: number;
}

export interface Outbox {
  /** Records an accepted send, queued. A failed entry with the same clientMessageId is replaced (a retry). */
  add(sessionId: string, request: SendRequest, now: number): Promise<OutboxEntry>;
  get(id: number): Promise<OutboxEntry | undefined>;
  byClientMessageId(sessionId: string, clientMessageId: string): Promise<OutboxEntry | undefined>;
  byMessageId(sessionId: string, messageId: string): Promise<OutboxEntry | undefined>;
  /** Recorded before the message is handed to WhatsApp for `chatId`, so a crash leaves a trace to confirm it by. */
  markSending(id: number, chatId: string, now: number): Promise<void>;
  markSent(id: number, receipt: SentReceipt, now: number): Promise<void>;
  /** Failed (`failed`: WhatsApp or the gateway refused it) or unknown (`unknown`: it may have gone out). */
  markEnded(id: number, state: 'failed' | 'unknown', error: { code: ErrorCode; message: string }, now: number): Promise<void>;
  /**
   * Records the latest ack of a sent message. One that comes before the send is recorded as sent
   * (WhatsApp can ack before the send returns its id) is applied by the `markSent` of that id.
   */
  noteAck(sessionId: string, messageId: string, ack: AckStatus, now: number): Promise<void>;
  /** Queued and sending entries, in the order they were accepted. */
  unfinished(): Promise<OutboxEntry[]>;
  /** Forgets finished entries updated before `before`, and the oldest finished past `maxFinished`. */
  prune(before: number, maxFinished: number): Promise<number>;
}

/** The session events the log keeps: what a bot that was away needs to catch up (not QR codes, which expire). */
export const LOGGED_EVENTS = [
  'session_status',
  'session_connected',
  'session_disconnected',
  'session_error',
  'message_received',
  'message_sent',
  'send_error',
  'message_ack',
  // receiving (issue 14)
  'own_message',
  'message_edited',
  'message_revoked',
  'message_reaction',
  'poll_vote',
  'call_received',
  // group invites (issue 15)
  'group_membership_request',
  // groups (issue 15)
  'group_participants_changed',
  'group_updated',
] as const satisfies readonly ServerEventName[];
export type LoggedEventName = (typeof LOGGED_EVENTS)[number];

export interface LoggedEvent<E extends LoggedEventName = LoggedEventName> {
  sessionId: string;
  /** 1, 2, 3, … per session, never reused. */
  seq: number;
  event: E;
  payload: ServerPayload<E>;
  at: number;
}

export interface EventLog {
  /** Appends an event; resolves with its seq. */
  append<E extends LoggedEventName>(sessionId: string, event: E, payload: ServerPayload<E>, now: number): Promise<number>;
  /** The session's events after `seq`, oldest first, at most `limit`. */
  after(sessionId: string, seq: number, limit: number): Promise<LoggedEvent[]>;
  /** The lowest seq still kept for the session (0 when none is). */
  oldestSeq(sessionId: string): Promise<number>;
  /** The last seq given out, per session that ever had one. */
  lastSeqs(): Promise<Map<string, number>>;
  /** Forgets events older than `before`, and per session the oldest past `maxPerSession`. */
  prune(before: number, maxPerSession: number): Promise<number>;
}

/**
 * Catch-up after downtime (issue 15): the incoming messages delivered to clients, by id, so a message
 * WhatsApp Web shows again after a restart is not delivered twice, and each session's watermark, the
 * WhatsApp time of the newest one, which survives restarts: the next connect looks for what came after it.
 */
export interface DeliveredIncoming {
  /** Notes a message as delivered (`at`: its WhatsApp time) and moves the watermark up to `at`. */
  record(sessionId: string, messageId: string, at: number, now: number): Promise<void>;
  /** Which of `messageIds` were recorded for the session (and not pruned since). */
  known(sessionId: string, messageIds: readonly string[]): Promise<Set<string>>;
  /** The session's watermark; undefined for a session never caught up. */
  watermark(sessionId: string): Promise<number | undefined>;
  /** Moves the watermark up to `at` (never down); sets it for a session that has none. */
  advance(sessionId: string, at: number): Promise<void>;
  /** Forgets ids recorded before `before`; watermarks stay. */
  prune(before: number): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'memory';
  readonly outbox: Outbox;
  readonly events: EventLog;
  readonly delivered: DeliveredIncoming;
  close(): Promise<void>;
}
