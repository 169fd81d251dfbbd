/**
 * Which sessions' events a connection receives, and how it catches up. A connection follows
 * sessions through rooms, and `socket.data.haveAfter` says, per followed session, the seq after which
 * it has received every event. A resume (`since`) puts the connection in the session's hold room,
 * which the publisher leaves out, replays from the journal what the connection lacks, and takes it
 * out of the hold room in the session's turn: no gap, no duplicate, live events after the replay.
 * A connection that filters events (`subscribe {events}`) is in one skip room per event it left out,
 * which the publisher leaves out too: the filter costs nothing per event, and works the same across
 * the nodes of a cluster (rooms are what Socket.IO's adapters share).
 */
import type { Journal, ReplayReport } from '../sessions/journal';
import type { Publisher } from '../sessions/publisher';
import { SERVER_EVENT_NAMES, type ServerEventName, type ServerPayload } from '../protocol/events';
import { canUse } from './api-keys';
import type { GatewayIo, GatewaySocket } from './socket-types';

const ALL_SESSIONS_ROOM = 'sessions:*';
const sessionRoom = (sessionId: string) => `session:${sessionId}`;
const holdRoom = (sessionId: string) => `hold:${sessionId}`;
const HOLD_PREFIX = 'hold:';
const skipRoom = (event: ServerEventName) => `skip:${event}`;

/** The server events a connection receives; undefined = all of them. */
type EventFilter = ServerEventName[] | undefined;

type Since = Record<string, number>;

/** The emitter a session publishes through: its followers and the connections that follow every session, except those resuming it. */
export function sessionPublisher(io: GatewayIo, { recovery }: { recovery: boolean }): Publisher {
  const rooms = io.of('/').adapter.rooms;
  /** Whether a connection follows the session and has not left the event out (a held one counts: it gets it replayed). */
  const anyoneWants = (sessionId: string, event: ServerEventName) => {
    const followers = [rooms.get(ALL_SESSIONS_ROOM), rooms.get(sessionRoom(sessionId))];
    const skipping = rooms.get(skipRoom(event));
    if (!skipping?.size) return followers.some((room) => room?.size);
    for (const room of followers) for (const socketId of room ?? []) if (!skipping.has(socketId)) return true;
    return false;
  };
  return (sessionId) => (event, payload) => {
    // Encoding a packet costs as much as sending it: skip it when no connection wants it, unless
    // connection state recovery is on: it keeps the packet for a follower that is away right now.
    if (!recovery && !anyoneWants(sessionId, event)) return;
    emit(io.to([ALL_SESSIONS_ROOM, sessionRoom(sessionId)]).except([holdRoom(sessionId), skipRoom(event)]), event, payload);
  };
}

/** Sends an event to every connection whose event filter lets it through. */
export function broadcast<E extends ServerEventName>(io: GatewayIo, event: E, payload: ServerPayload<E>): void {
  emit(io.except(skipRoom(event)), event, payload);
}

/** Anything that sends server events: a socket, or a room of them. */
interface EventTarget {
  emit: GatewaySocket['emit'];
}

/** Socket.IO's typings cannot follow an event name that is a type parameter; one cast, here. */
function emit<E extends ServerEventName>(target: EventTarget, event: E, payload: ServerPayload<E>): void {
  (target.emit as (event: ServerEventName, payload: unknown) => boolean)(event, payload);
}

export function follows(socket: GatewaySocket, sessionId: string): boolean {
  return socket.rooms.has(ALL_SESSIONS_ROOM) || socket.rooms.has(sessionRoom(sessionId));
}

/** Whether the connection's event filter lets the event through. */
function wants(socket: GatewaySocket, event: ServerEventName): boolean {
  return !socket.rooms.has(skipRoom(event));
}

/** Sends an event to one connection, unless its event filter leaves the event out. */
export function sendTo<E extends ServerEventName>(socket: GatewaySocket, event: E, payload: ServerPayload<E>): void {
  if (wants(socket, event)) emit(socket, event, payload);
}

export class Subscriptions {
  /** One subscribe at a time per connection: a replay is finished before the next one starts. */
  private readonly turns = new WeakMap<GatewaySocket, Promise<unknown>>();

  constructor(private readonly journal: Journal) {}

  /** A new connection follows every session in its scope, resuming those in `since` (the handshake's auth.since and auth.events). */
  connected(socket: GatewaySocket, since: Since = {}, events?: EventFilter): Promise<Record<string, ReplayReport>> {
    socket.data.haveAfter = {};
    return this.subscribe(socket, '*', since, events);
  }

  /** Replaces what the connection follows (within its scope) and its event filter; resolves once the resumes asked for are replayed. */
  subscribe(
    socket: GatewaySocket,
    sessionIds: '*' | string[],
    since: Since = {},
    events?: EventFilter,
  ): Promise<Record<string, ReplayReport>> {
    const previous = this.turns.get(socket) ?? Promise.resolve();
    const next = previous.then(() => this.subscribeNow(socket, sessionIds, since, events));
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

  private async subscribeNow(
    socket: GatewaySocket,
    sessionIds: '*' | string[],
    since: Since,
    events: EventFilter,
  ): Promise<Record<string, ReplayReport>> {
    const had = (sessionId: string) => (follows(socket, sessionId) ? (socket.data.haveAfter[sessionId] ?? 0) : undefined);
    const resumes = Object.entries(since).map(([sessionId, from]) => ({ sessionId, from, had: had(sessionId) }));
    this.follow(socket, sessionIds, events);
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

  /** Joins the rooms for `sessionIds` and the skip rooms of the events left out; a session newly followed is had from its latest seq on. Synchronous. */
  private follow(socket: GatewaySocket, sessionIds: '*' | string[], events: EventFilter): void {
    const before = socket.data.haveAfter;
    const latest = this.journal.allLastSeqs();
    const haveAfter = (sessionId: string) => (follows(socket, sessionId) ? (before[sessionId] ?? 0) : (latest.get(sessionId) ?? 0));
    const { access } = socket.data;
    const all = sessionIds === '*' && access.scope === '*';
    const wanted = all ? [...latest.keys()] : (sessionIds === '*' ? [...access.scope] : sessionIds).filter((id) => canUse(access, id));
    socket.data.haveAfter = Object.fromEntries(wanted.map((sessionId) => [sessionId, haveAfter(sessionId)]));
    for (const room of socket.rooms) if (room !== socket.id && !room.startsWith(HOLD_PREFIX)) void socket.leave(room);
    const skipped = events ? SERVER_EVENT_NAMES.filter((event) => !events.includes(event)) : [];
    void socket.join([all ? ALL_SESSIONS_ROOM : wanted.map(sessionRoom), skipped.map(skipRoom)].flat());
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
      wants: (event) => wants(socket, event),
      has: had === undefined ? undefined : (seq) => seq > had && seq <= heldAt,
      live: () => {
        void socket.leave(holdRoom(sessionId));
        socket.data.haveAfter[sessionId] = since > heldAt ? 0 : since;
        delete socket.data.resuming?.[sessionId];
      },
    });
  }
}
