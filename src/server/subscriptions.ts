/**
 * Which sessions' events a connection receives, and how it catches up. A connection follows
 * sessions through rooms, and `socket.data.haveAfter` says, per followed session, the seq after which
 * it has received every event. A resume (`since`) puts the connection in the session's hold room,
 * which the publisher leaves out, replays from the journal what the connection lacks, and takes it
 * out of the hold room in the session's turn: no gap, no duplicate, live events after the replay.
 */
import type { Journal, ReplayReport } from '../sessions/journal';
import type { Publisher } from '../sessions/publisher';
import type { ServerEventName, ServerPayload } from '../protocol/events';
import { canUse } from './api-keys';
import type { GatewayIo, GatewaySocket } from './socket-types';

const ALL_SESSIONS_ROOM = 'sessions:*';
const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const holdRoom = (sessionId: string) => `hold:${sessionId}`;
const HOLD_PREFIX = 'hold:';

export type Since = Record<string, number>;

/** The emitter a session publishes through: its followers and the connections that follow every session, except those resuming it. */
export function sessionPublisher(io: GatewayIo): Publisher {
  const rooms = io.of('/').adapter.rooms;
  return (sessionId) => (event, payload) => {
    const room = sessionRoom(sessionId);
    // Encoding a packet costs as much as sending it: skip it when nobody follows the session.
    if (!rooms.get(ALL_SESSIONS_ROOM)?.size && !rooms.get(room)?.size) return;
    emit(io.to([ALL_SESSIONS_ROOM, room]).except(holdRoom(sessionId)), event, payload);
  };
}

/** Anything that sends server events: a socket, or a room of them. */
interface EventTarget {
  emit: GatewaySocket['emit'];
}

/** Socket.IO's typings cannot follow an event name that is a type parameter; one cast, here. */
export function emit<E extends ServerEventName>(target: EventTarget, event: E, payload: ServerPayload<E>): void {
  (target.emit as (event: ServerEventName, payload: unknown) => boolean)(event, payload);
}

export function follows(socket: GatewaySocket, sessionId: string): boolean {
  return socket.rooms.has(ALL_SESSIONS_ROOM) || socket.rooms.has(sessionRoom(sessionId));
}

export class Subscriptions {
  /** One subscribe at a time per connection: a replay is finished before the next one starts. */
  private readonly turns = new WeakMap<GatewaySocket, Promise<unknown>>();

  constructor(private readonly journal: Journal) {}

  /** A new connection follows every session in its scope, resuming those in `since` (the handshake's auth.since). */
  connected(socket: GatewaySocket, since: Since = {}): Promise<Record<string, ReplayReport>> {
    socket.data.haveAfter = {};
    return this.subscribe(socket, '*', since);
  }

  /** Replaces what the connection follows (within its scope); resolves once the resumes asked for are replayed. */
  subscribe(socket: GatewaySocket, sessionIds: '*' | string[], since: Since = {}): Promise<Record<string, ReplayReport>> {
    const previous = this.turns.get(socket) ?? Promise.resolve();
    const next = previous.then(() => this.subscribeNow(socket, sessionIds, since));
    this.turns.set(
      socket,
      next.catch(() => undefined),
    );
    return next;
  }

  /**
   * A connection restored by Socket.IO's connection state recovery kept its rooms and got the live
   * events it missed; a resume it was in the middle of starts again, from `since` when the client says.
   */
  recovered(socket: GatewaySocket, since: Since = {}): Promise<Record<string, ReplayReport>> {
    const interrupted = [...socket.rooms].filter((room) => room.startsWith(HOLD_PREFIX)).map((room) => room.slice(HOLD_PREFIX.length));
    const resumes = interrupted.map((sessionId) => {
      void socket.leave(holdRoom(sessionId));
      const from = since[sessionId] ?? socket.data.resuming?.[sessionId] ?? 0;
      return this.resume(socket, sessionId, from, undefined).then((report) => [sessionId, report] as const);
    });
    return Promise.all(resumes).then(Object.fromEntries);
  }

  private async subscribeNow(socket: GatewaySocket, sessionIds: '*' | string[], since: Since): Promise<Record<string, ReplayReport>> {
    const had = (sessionId: string) => (follows(socket, sessionId) ? (socket.data.haveAfter[sessionId] ?? 0) : undefined);
    const resumes = Object.entries(since).map(([sessionId, from]) => ({ sessionId, from, had: had(sessionId) }));
    this.follow(socket, sessionIds);
    const replays = resumes
      .filter(({ sessionId }) => follows(socket, sessionId))
      .map(async ({ sessionId, from, had }) => {
        // It has received everything after `from` already: nothing to send again. A `from` beyond the
        // log is a seq of a store that was reset: the replay reports it truncated and starts over.
        const report =
          had !== undefined && from >= had && from <= this.journal.lastSeq(sessionId)
            ? { events: 0, lastSeq: from, truncated: false }
            : await this.resume(socket, sessionId, from, had);
        return [sessionId, report] as const;
      });
    return Object.fromEntries(await Promise.all(replays));
  }

  /** Joins the rooms for `sessionIds`; a session newly followed is had from its latest seq on. Synchronous. */
  private follow(socket: GatewaySocket, sessionIds: '*' | string[]): void {
    const before = socket.data.haveAfter;
    const latest = this.journal.allLastSeqs();
    const haveAfter = (sessionId: string) => (follows(socket, sessionId) ? (before[sessionId] ?? 0) : (latest.get(sessionId) ?? 0));
    const { access } = socket.data;
    const all = sessionIds === '*' && access.scope === '*';
    const wanted = all ? [...latest.keys()] : (sessionIds === '*' ? [...access.scope] : sessionIds).filter((id) => canUse(access, id));
    socket.data.haveAfter = Object.fromEntries(wanted.map((sessionId) => [sessionId, haveAfter(sessionId)]));
    for (const room of socket.rooms) if (room !== socket.id && !room.startsWith(HOLD_PREFIX)) void socket.leave(room);
    void socket.join(all ? ALL_SESSIONS_ROOM : wanted.map(sessionRoom));
  }

  /** Holds the session's live events back from the connection, replays, then lets them through. */
  private async resume(socket: GatewaySocket, sessionId: string, since: number, had: number | undefined): Promise<ReplayReport> {
    const heldAt = this.journal.lastSeq(sessionId);
    void socket.join(holdRoom(sessionId));
    socket.data.resuming = { ...socket.data.resuming, [sessionId]: since };
    return this.journal.replay({
      sessionId,
      since,
      deliver: ({ event, payload }) => emit(socket, event, payload),
      has: had === undefined ? undefined : (seq) => seq > had && seq <= heldAt,
      live: () => {
        void socket.leave(holdRoom(sessionId));
        socket.data.haveAfter[sessionId] = since > heldAt ? 0 : since;
        delete socket.data.resuming?.[sessionId];
      },
    });
  }
}
