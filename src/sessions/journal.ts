/**
 * Every session event leaves through the journal, in the order its session produced it. The events
 * the log keeps (LOGGED_EVENTS) are appended to the store first and go out with their `seq`; a
 * message_ack also moves the outbox's latest ack. A client that was away catches up with `replay`,
 * whose last page is read and delivered in the session's turn, so no event falls between the replay
 * and the live ones that follow it. What is kept, and for how long: docs/decisions.md, "Durable delivery".
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../logger';
import type { ServerEventName, ServerPayload } from '../protocol/events';
import type { AckStatus } from '../protocol/schemas';
import { LOGGED_EVENTS, type LoggedEvent, type LoggedEventName, type Store } from '../storage/store';
import { dropOldest } from '../util/bounded-map';
import { KeyedSerial } from './keyed-serial';
import type { Publisher, SessionEmitter, SessionEvent } from './publisher';

const REPLAY_PAGE = 500;
/** Acks of messages not sent through the gateway (from the phone) never find their entry: only the latest few are kept. */
const EARLY_ACKS_MAX = 1000;
const LOGGED: ReadonlySet<ServerEventName> = new Set(LOGGED_EVENTS);

type LoggedSessionEvent = Extract<SessionEvent, { event: LoggedEventName }>;

export interface ReplayReport {
  events: number;
  /** The receiver has every event up to this seq now (`since` when nothing was missing). */
  lastSeq: number;
  /** Events after `since` are gone (past retention), or the log does not know `since` (its store was reset). */
  truncated: boolean;
}

export interface Replay {
  sessionId: string;
  since: number;
  /** Receives each event, oldest first, its payload with its `seq` and marked `replayed`. */
  deliver: (event: LoggedEvent) => void;
  /** Called in the session's turn right after the last event: what the session publishes next is live. */
  live: () => void;
  /** Seqs the receiver already has (delivered live before), left out. */
  has?: (seq: number) => boolean;
}

export class Journal {
  private readonly turns = new KeyedSerial();
  private readonly emitters = new Map<string, SessionEmitter>();
  /** Acks of messages the outbox does not have as sent yet (WhatsApp can ack before the send returns its id). */
  private readonly earlyAcks = new Map<string, AckStatus>();

  private constructor(
    private readonly store: Store,
    private readonly next: Publisher,
    private readonly logger: Logger,
    /** The last seq published, per session. */
    private readonly lastSeqs: Map<string, number>,
  ) {}

  /** `next` is where events go once journaled (observers, then the sockets). */
  static async open(store: Store, next: Publisher, logger: Logger): Promise<Journal> {
    return new Journal(store, next, logger, await store.events.lastSeqs());
  }

  /** The emitter a session publishes through. */
  readonly publisher: Publisher = (sessionId) => (event, payload) => void this.publish(sessionId, event, payload);

  /** Publishes in the session's turn; resolves with the payload as it went out (with its seq, when logged). */
  publish<E extends ServerEventName>(sessionId: string, event: E, payload: ServerPayload<E>): Promise<ServerPayload<E>> {
    // A generic event and its payload always make a SessionEvent; TypeScript cannot see that one.
    const published = this.turns.run(sessionId, () => this.journal(sessionId, { event, payload } as SessionEvent));
    return published as Promise<ServerPayload<E>>;
  }

  /** The seq the session's last published event carried (0 before its first). */
  lastSeq(sessionId: string): number {
    return this.lastSeqs.get(sessionId) ?? 0;
  }

  /** The ack a message got before it was recorded as sent, handed over once. */
  takeEarlyAck(sessionId: string, messageId: string): AckStatus | undefined {
    const key = `${sessionId}\u0000${messageId}`;
    const ack = this.earlyAcks.get(key);
    this.earlyAcks.delete(key);
    return ack;
  }

  /** `lastSeq` of every session at once. */
  allLastSeqs(): Map<string, number> {
    return new Map(this.lastSeqs);
  }

  /** Sends the session's events after `since` again, then hands over to live delivery without a gap. */
  async replay({ sessionId, since, deliver, live, has = () => false }: Replay): Promise<ReplayReport> {
    const known = this.lastSeq(sessionId);
    const reset = since > known;
    let cursor = reset ? 0 : since;
    const oldest = await this.store.events.oldestSeq(sessionId);
    const truncated = reset || (known > cursor && (oldest === 0 || oldest > cursor + 1));
    let events = 0;
    const send = (page: LoggedEvent[]) => {
      for (const logged of page) {
        cursor = logged.seq;
        if (has(logged.seq)) continue;
        deliver({ ...logged, payload: { ...logged.payload, seq: logged.seq, replayed: true } });
        events += 1;
      }
    };
    for (;;) {
      const page = await this.store.events.after(sessionId, cursor, REPLAY_PAGE);
      if (page.length < REPLAY_PAGE) break;
      send(page);
      await nextTurn();
    }
    await this.turns.run(sessionId, async () => {
      send(await this.store.events.after(sessionId, cursor, Number.MAX_SAFE_INTEGER));
      live();
    });
    return { events, lastSeq: cursor, truncated };
  }

  private async journal(sessionId: string, e: SessionEvent): Promise<SessionEvent['payload']> {
    const payload = isLogged(e) ? await this.logged(sessionId, e) : e.payload;
    this.emitterOf(sessionId)(e.event, payload);
    return payload;
  }

  /** The payload with its seq; without one when the store failed (the event still goes out live). */
  private async logged(sessionId: string, e: LoggedSessionEvent): Promise<LoggedSessionEvent['payload']> {
    const now = Date.now();
    let seq: number;
    try {
      seq = await this.store.events.append(sessionId, e.event, e.payload, now);
    } catch (error) {
      this.logger.error({ sessionId, event: e.event, err: error }, 'could not write a session event to the store; sent live only');
      return e.payload;
    }
    this.lastSeqs.set(sessionId, seq);
    if (e.event === 'message_ack') await this.noteAck(sessionId, e.payload, now);
    return { ...e.payload, seq };
  }

  private async noteAck(sessionId: string, { messageId, ack }: ServerPayload<'message_ack'>, now: number): Promise<void> {
    try {
      if (await this.store.outbox.noteAck(sessionId, messageId, ack, now)) return;
      this.earlyAcks.set(`${sessionId}\u0000${messageId}`, ack);
      dropOldest(this.earlyAcks, EARLY_ACKS_MAX);
    } catch (error) {
      this.logger.error({ sessionId, messageId, err: error }, 'could not record an ack in the outbox');
    }
  }

  private emitterOf(sessionId: string): SessionEmitter {
    let emit = this.emitters.get(sessionId);
    if (!emit) this.emitters.set(sessionId, (emit = this.next(sessionId)));
    return emit;
  }
}

function isLogged(e: SessionEvent): e is LoggedSessionEvent {
  return LOGGED.has(e.event);
}
