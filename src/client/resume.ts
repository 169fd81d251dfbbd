/**
 * The client's side of resuming the gateway's event log (docs/decisions.md, "Durable delivery"):
 * the last seq handed to listeners per session, the `since` each handshake asks from, and which
 * arriving events listeners get: each logged event once, in seq order per session.
 *
 * A `since` that does not fit the handshake goes in a `subscribe` sent right after connecting. Until
 * it is answered, the events of its sessions are held: the live ones arrive first and the replay,
 * which is older, after them; they are handed over sorted by seq.
 */

export type Since = Record<string, number>;

/** A server event as it arrived. */
export interface ArrivedEvent {
  event: string;
  payload: unknown;
}

/** The gateway's default AUTH_MAX_BYTES: the most its handshake (the CONNECT packet) may weigh. */
export const DEFAULT_AUTH_MAX_BYTES = 4096;
/** Kept free under that limit: the packet's own framing, and the `pid`/`offset` socket.io-client adds to recover a connection. */
const HANDSHAKE_HEADROOM_BYTES = 200;

interface LogPosition {
  sessionId: string;
  seq: number;
  replayed: boolean;
}

interface Held {
  arrived: ArrivedEvent;
  position: LogPosition;
}

interface PendingResume {
  since: Since;
  held: Held[];
  /** Its answer's `subscribed` event, handed over after the replay as in a handshake resume. */
  subscribed: ArrivedEvent[];
}

/** A resume that goes by `subscribe`: the `since` to send, and `answered` to call once it is answered (or refused). */
export interface ResumeBySubscribe {
  since: Since;
  /** What listeners get now: everything held, in seq order per session, then the answer's `subscribed` event. */
  answered(): ArrivedEvent[];
}

export class Resume {
  private readonly seqs: Map<string, number>;
  /** Per session, the seq this connection resumed from, until its first event: one at or below it means the log was reset. */
  private asked = new Map<string, number>();
  private pending: PendingResume | undefined;

  constructor(
    since: Since = {},
    private readonly authMaxBytes = DEFAULT_AUTH_MAX_BYTES,
  ) {
    this.seqs = new Map(Object.entries(since));
  }

  /** Per session, the seq of the last event handed to listeners. */
  lastSeqs(): Since {
    return Object.fromEntries(this.seqs);
  }

  /** The auth of the next handshake (`auth`, with `since` when it fits under AUTH_MAX_BYTES, else without: the resume goes by subscribe). */
  handshake(auth: Record<string, unknown>): Record<string, unknown> {
    const since = this.lastSeqs();
    this.asked = new Map(this.seqs);
    this.pending = undefined;
    if (this.seqs.size === 0) return auth;
    const withSince = { ...auth, since };
    if (utf8Bytes(JSON.stringify(withSince)) + HANDSHAKE_HEADROOM_BYTES <= this.authMaxBytes) return withSince;
    this.pending = { since, held: [], subscribed: [] };
    return auth;
  }

  /** Once connected: the resume left to do by subscribe, if any. A recovered connection has none: the gateway carries on its own. */
  bySubscribe(recovered: boolean): ResumeBySubscribe | undefined {
    const pending = this.pending;
    if (!pending || recovered) {
      this.pending = undefined;
      return undefined;
    }
    const answered = () => {
      if (this.pending !== pending) return []; // a disconnect ended it already
      this.pending = undefined;
      return this.handOver(pending, 'all');
    };
    return { since: pending.since, answered };
  }

  /** What listeners get now of an event that arrived: itself, or nothing (a duplicate, or held until the resume is answered). */
  receive(arrived: ArrivedEvent): ArrivedEvent[] {
    const position = logPosition(arrived.payload);
    if (this.pending && position && Object.hasOwn(this.pending.since, position.sessionId)) {
      this.pending.held.push({ arrived, position });
      return [];
    }
    if (this.pending && arrived.event === 'subscribed') {
      this.pending.subscribed.push(arrived);
      return [];
    }
    return !position || this.admit(position) ? [arrived] : [];
  }

  /** The connection dropped: ends a resume by subscribe under way. */
  disconnected(): ArrivedEvent[] {
    const pending = this.pending;
    this.pending = undefined;
    return pending ? this.handOver(pending, 'first gap') : [];
  }

  /**
   * What was held, in seq order per session: once answered, all of it, then its `subscribed`; after a
   * disconnect, only what has no gap before it, so that the next resume asks for the rest.
   */
  private handOver(pending: PendingResume, upTo: 'all' | 'first gap'): ArrivedEvent[] {
    const handed: ArrivedEvent[] = [];
    for (const [sessionId, run] of sortedBySession(pending.held)) {
      const usable = upTo === 'all' ? run : withoutGaps(run, this.seqs.get(sessionId) ?? 0);
      for (const { arrived, position } of usable) if (this.admit(position)) handed.push(arrived);
    }
    return upTo === 'all' ? [...handed, ...pending.subscribed] : handed;
  }

  private admit({ sessionId, seq }: LogPosition): boolean {
    const asked = this.asked.get(sessionId);
    this.asked.delete(sessionId);
    // The gateway sends nothing at or below the seq asked from, unless its log starts over (a new store): then so do we.
    const logReset = asked !== undefined && seq <= asked;
    if (!logReset && seq <= (this.seqs.get(sessionId) ?? 0)) return false;
    this.seqs.set(sessionId, seq);
    return true;
  }
}

function logPosition(payload: unknown): LogPosition | undefined {
  if (typeof payload !== 'object' || payload === null || !('seq' in payload) || !('sessionId' in payload)) return undefined;
  const { seq, sessionId } = payload;
  if (typeof seq !== 'number' || typeof sessionId !== 'string') return undefined;
  return { sessionId, seq, replayed: 'replayed' in payload && payload.replayed === true };
}

function sortedBySession(held: Held[]): Map<string, Held[]> {
  const runs = new Map<string, Held[]>();
  for (const entry of held) {
    const run = runs.get(entry.position.sessionId);
    if (run) run.push(entry);
    else runs.set(entry.position.sessionId, [entry]);
  }
  for (const run of runs.values()) run.sort((a, b) => a.position.seq - b.position.seq);
  return runs;
}

/**
 * The start of a sorted run that is sure to miss nothing: a session's seqs follow each other (1, 2, 3, …),
 * so it begins right after `last` (or where a replay began: older events are gone) and ends at the first gap.
 * With an event filter, gaps are normal: the next resume asks again from there, and what comes twice is dropped.
 */
function withoutGaps(run: Held[], last: number): Held[] {
  const kept: Held[] = [];
  for (const entry of run) {
    const previous = kept.at(-1)?.position.seq;
    const follows = previous === undefined ? entry.position.replayed || entry.position.seq <= last + 1 : entry.position.seq <= previous + 1;
    if (!follows) break;
    kept.push(entry);
  }
  return kept;
}

function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}
