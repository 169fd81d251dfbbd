/**
 * Every session event leaves through the journal, in the order its session produced it. The events
 * the log keeps (LOGGED_EVENTS) are appended to the store first and go out with their `seq`; a
 * message_ack also moves the outbox's latest ack. The writes start when an event is published, so
 * that a store with group commit writes the events of one turn together; the events go out in order. A client that was away catches up with `replay`,
 * whose last page is read and delivered in the session's turn, so no event falls between the replay
 * and the live ones that follow it. What is kept, and for how long: docs/decisions.md, "Durable delivery".
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../logger';
import type { ServerEventName, ServerPayload } from '../protocol/events';
import { LOGGED_EVENTS, type LoggedEvent, type LoggedEventName, type Store } from '../storage/store';
import { KeyedSerial } from './keyed-serial';
import type { Publisher, SessionEmitter, SessionEvent } from './publisher';

const REPLAY_PAGE = 500;
const LOGGED: ReadonlySet<ServerEventName> = new Set(LOGGED_EVENTS);

type LoggedSessionEvent = Extract<SessionEvent, { event: LoggedEventName }>;

export interface ReplayReport {
  events: number;
  /** The receiver has every event up to this seq now (`since` when nothing was missing). */
  lastSeq: number;
  /** Events after `since` are gone (past retention), or the log does not know `since` (its store was reset). */
  truncated: boolean;
}

interface Replay {
  sessionId: string;
  since: number;
  /** Receives each event, oldest first, its payload with its `seq` and marked `replayed`. */
  deliver: (event: LoggedEvent) => void;
  /** Called in the session's turn right after the last event: what the session publishes next is live. */
  live: () => void;
  /** Seqs the receiver already has (delivered live before), left out. */
  has?: (seq: number) => boolean;
  /** The events the receiver takes (its event filter); the others are left out, and not counted. */
  wants?: (event: ServerEventName) => boolean;
}

export class Journal {
  private readonly turns = new KeyedSerial();
  private readonly emitters = new Map<string, SessionEmitter>();

  private constructor(
    private readonly store: Store,
    private readonly next: Publisher,
    private readonly logger: Logger,
    /** The seq of the last event published (delivered to `next`), per session. */
    private readonly lastSeqs: Map<string, number>,
  ) {}

  /** `next` is where events go once journaled (observers, then the sockets). */
  static async open(store: Store, next: Publisher, logger: Logger): Promise<Journal> {
    return new Journal(store, next, logger, await store.events.lastSeqs());
  }

  /** The emitter a session publishes through. */
  readonly publisher: Publisher = (sessionId) => (event, payload) => void this.publish(sessionId, event, payload);

  /**
   * Writes the event to the store right away (so the events of one turn commit together), and
   * publishes it in the session's turn once written; resolves with the payload as it went out (with
   * its seq, when logged).
   */
  publish<E extends ServerEventName>(sessionId: string, event: E, payload: ServerPayload<E>): Promise<ServerPayload<E>> {
    // A generic event and its payload always make a SessionEvent; TypeScript cannot see that one.
    const e = { event, payload } as SessionEvent;
    const written = isLogged(e) ? this.write(sessionId, e) : Promise.resolve(undefined);
    const published = this.turns.run(sessionId, async () => {
      const seq = await written;
      if (seq !== undefined) this.lastSeqs.set(sessionId, seq);
      const out = seq === undefined ? e.payload : { ...e.payload, seq };
      this.emitterOf(sessionId)(e.event, out);
      return out;
    });
    return published as Promise<ServerPayload<E>>;
  }

  /** The seq the session's last published event carried (0 before its first). */
  lastSeq(sessionId: string): number {
    return this.lastSeqs.get(sessionId) ?? 0;
  }

  /** `lastSeq` of every session at once. */
  allLastSeqs(): Map<string, number> {
    return new Map(this.lastSeqs);
  }

  /**
   * Sends the session's events after `since` again, then hands over to live delivery without a gap.
   * Only events already published are replayed: one written but not yet published goes out live.
   */
  async replay({ sessionId, since, deliver, live, has = () => false, wants = () => true }: Replay): Promise<ReplayReport> {
    const known = this.lastSeq(sessionId);
    const reset = since > known;
    let cursor = reset ? 0 : since;
    const oldest = await this.store.events.oldestSeq(sessionId);
    const truncated = reset || (known > cursor && (oldest === 0 || oldest > cursor + 1));
    let events = 0;
    const sendPublished = async (limit: number) => {
      const upTo = this.lastSeq(sessionId);
      const page = await this.store.events.after(sessionId, cursor, limit);
      for (const logged of page) {
        if (logged.seq > upTo) return false;
        cursor = logged.seq;
        if (has(logged.seq) || !wants(logged.event)) continue;
        deliver({ ...logged, payload: { ...logged.payload, seq: logged.seq, replayed: true } });
        events += 1;
      }
      return page.length === limit;
    };
    while (await sendPublished(REPLAY_PAGE)) await nextTurn();
    await this.turns.run(sessionId, async () => {
      await sendPublished(Number.MAX_SAFE_INTEGER);
      live();
    });
    return { events, lastSeq: cursor, truncated };
  }

  /** The event's seq; none when the store failed (the event still goes out live). */
  private async write(sessionId: string, e: LoggedSessionEvent): Promise<number | undefined> {
    const now = Date.now();
    const appended = this.store.events.append(sessionId, e.event, e.payload, now);
    if (e.event === 'message_ack') this.noteAck(sessionId, e.payload, now);
    try {
      return await appended;
    } catch (error) {
      this.logger.error({ sessionId, event: e.event, err: error }, 'could not write a session event to the store; sent live only');
      return undefined;
    }
  }

  private noteAck(sessionId: string, { messageId, ack }: ServerPayload<'message_ack'>, now: number): void {
    this.store.outbox.noteAck(sessionId, messageId, ack, now).catch((error: unknown) => {
      this.logger.error({ sessionId, messageId, err: error }, 'could not record an ack in the outbox');
    });
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
