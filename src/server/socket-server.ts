/**
 * Socket.IO wiring: admits connections through the admission (origin, API
 * key, what may be sent before authenticating), validates
 * every client event against its schema, keeps each key inside its session
 * scope, and answers through the success or error event (and the ack, when
 * the client passed one). Session events go to the rooms of the connections
 * that follow that session.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { z } from 'zod';
import { GatewayError, toGatewayError } from '../protocol/errors';
import { parseRequest, REQUEST_NAMES } from '../protocol/parse';
import { requests, type ErrorEventName, type RequestName, type ServerEventName, type ServerPayload } from '../protocol/events';
import { SESSION_ID_PATTERN } from '../protocol/schemas';
import type { Logger } from '../logger';
import type { Publisher } from '../sessions/publisher';
import type { Admission } from './admission';
import { canUse, OPEN_ACCESS, type Access } from './api-keys';
import { clientAddress } from './client-address';
import type { RateLimits, RateLimitScope } from './rate-limit';
import type { Handler, RequestHandlers } from './request-handlers';
import type { GatewayIo, GatewaySocket } from './socket-types';

export interface SocketServerOptions {
  corsOrigins: string[];
  admission: Admission;
  /** AUTH_TIMEOUT_MS: a connection that has not authenticated by then is closed. */
  authTimeoutMs: number;
}

const ALL_SESSIONS_ROOM = 'sessions:*';
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

export function createSocketServer(httpServer: HttpServer, options: SocketServerOptions): GatewayIo {
  const { admission } = options;
  const io: GatewayIo = new Server(httpServer, {
    path: '/ws',
    transports: ['websocket', 'polling'],
    cors: { origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins },
    // Every connection starts with the pre-authentication limit; the admission lifts it per connection.
    maxHttpBufferSize: admission.limits.unauthenticatedBytes,
    connectTimeout: options.authTimeoutMs,
    allowRequest: admission.allowRequest,
  });
  io.engine.on('connection', admission.watch);
  return io;
}

/** The emitter a session publishes through: its followers and the connections that follow every session. */
export function sessionPublisher(io: GatewayIo): Publisher {
  const rooms = io.of('/').adapter.rooms;
  return (sessionId) => (event, payload) => {
    const room = sessionRoom(sessionId);
    // Encoding a packet costs as much as sending it: skip it when nobody follows the session.
    if (!rooms.get(ALL_SESSIONS_ROOM)?.size && !rooms.get(room)?.size) return;
    emit(io.to([ALL_SESSIONS_ROOM, room]), event, payload);
  };
}

/** Anything that sends server events: a socket, or a room of them. */
interface EventTarget {
  emit: GatewaySocket['emit'];
}

/** Socket.IO's typings cannot follow an event name that is a type parameter; one cast, here. */
function emit<E extends ServerEventName>(target: EventTarget, event: E, payload: ServerPayload<E>): void {
  (target.emit as (event: ServerEventName, payload: unknown) => boolean)(event, payload);
}

export interface RequestRouting {
  handlers: RequestHandlers;
  rateLimits: RateLimits;
  logger: Logger;
  /** While true (graceful shutdown), every request is refused. */
  isClosing: () => boolean;
}

export function attachRequestHandlers(io: GatewayIo, routing: RequestRouting): void {
  io.on('connection', (socket) => {
    follow(socket, '*');
    const { keyId } = socket.data.access;
    const address = clientAddress(socket.conn.remoteAddress);
    const limiter = routing.rateLimits.forConnection(keyId === OPEN_ACCESS.keyId ? undefined : keyId, address);
    let dropped = false;
    for (const name of REQUEST_NAMES) {
      socket.on(name, (...args: unknown[]) => {
        if (dropped) return;
        const taken = limiter.take();
        if (taken.verdict === 'disconnect') {
          dropped = true;
          routing.logger.warn({ keyId, address }, 'closing a connection that keeps exceeding the rate limit');
          routing.rateLimits.penalize(address);
          // The transport, not the Socket.IO session: a client reconnects by itself after its backoff (into the
          // same key and address buckets), where 'io server disconnect' would stop socket.io-client for good.
          // After the answers already on their way, so the client sees why.
          setTimeout(() => socket.conn.close(), 0);
          return;
        }
        void handleRequest(socket, name, args, routing, taken.verdict === 'refuse' ? taken.scope : undefined);
      });
    }
  });
}

const RATE_LIMITED: Record<RateLimitScope, string> = {
  connection: 'too many events on this connection; slow down',
  key: 'too many events for this API key across its connections; slow down',
  address: 'too many events from this address across its connections; slow down',
};

async function handleRequest<E extends RequestName>(
  socket: GatewaySocket,
  name: E,
  args: unknown[],
  routing: RequestRouting,
  rateLimited: RateLimitScope | undefined,
) {
  const ack = typeof args.at(-1) === 'function' ? (args.pop() as (response: unknown) => void) : undefined;
  const raw = args[0];
  const spec = requests[name];
  try {
    if (rateLimited) throw new GatewayError('rate_limited', RATE_LIMITED[rateLimited]);
    if (routing.isClosing()) throw new GatewayError('shutting_down', 'the gateway is shutting down');
    const parsed = parseRequest(name, raw);
    if (!parsed.success) throw new GatewayError('invalid_payload', describeIssue(parsed.error));
    assertInScope(socket.data.access, parsed.data);
    const handler: Handler<E> = routing.handlers[name];
    const reply = await handler(parsed.data, {
      socket,
      access: socket.data.access,
      subscribe: (ids: '*' | string[]) => follow(socket, ids),
    });
    if (!reply.publishedFor || !follows(socket, reply.publishedFor)) emit(socket, spec.success, reply.data);
    ack?.({ ok: true, data: reply.data });
  } catch (cause) {
    const error = withinScope(toGatewayError(cause), socket.data.access);
    if (!(cause instanceof GatewayError)) routing.logger.error({ err: cause, event: name }, 'request failed unexpectedly');
    emit(socket, spec.error, errorPayload(spec.error, name, raw, error));
    ack?.({ ok: false, error: { code: error.code, message: error.message } });
  }
}

/** Out-of-scope sessions answer exactly like sessions that do not exist. */
function assertInScope(access: Access, payload: object | null | undefined): void {
  const sessionId = payload && 'sessionId' in payload ? payload.sessionId : undefined;
  if (typeof sessionId === 'string' && !canUse(access, sessionId)) {
    throw new GatewayError('session_not_found', `no active session "${sessionId}"; start it with start_session`);
  }
}

/**
 * A scoped key learns nothing about sessions outside its scope, including how full the gateway
 * is: `max_sessions` says the same whether its own limit or the gateway's was reached.
 */
function withinScope(error: GatewayError, access: Access): GatewayError {
  if (error.code !== 'max_sessions' || access.scope === '*') return error;
  return new GatewayError(
    'max_sessions',
    "cannot start another session: this key's MAX_SESSIONS_PER_KEY or the gateway's capacity is reached",
  );
}

/** Joins the rooms for `sessionIds`, within the connection's scope. */
function follow(socket: GatewaySocket, sessionIds: '*' | string[]): void {
  for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
  const { scope } = socket.data.access;
  if (sessionIds === '*' && scope === '*') void socket.join(ALL_SESSIONS_ROOM);
  else {
    const wanted = sessionIds === '*' ? [...scope] : sessionIds.filter((id) => canUse(socket.data.access, id));
    void socket.join(wanted.map(sessionRoom));
  }
}

function follows(socket: GatewaySocket, sessionId: string): boolean {
  return socket.rooms.has(ALL_SESSIONS_ROOM) || socket.rooms.has(sessionRoom(sessionId));
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.length ? issue.path.join('.') : 'payload';
  return `${field}: ${issue.message}`;
}

/** The error event's payload, echoing the request's identifying fields when they are sane. */
function errorPayload(event: ErrorEventName, request: RequestName, raw: unknown, error: GatewayError): ServerPayload<ErrorEventName> {
  const fields: Record<string, unknown> = typeof raw === 'object' && raw !== null ? { ...raw } : {};
  const text = (key: string) => {
    const value = fields[key];
    return typeof value === 'string' && value.length <= 128 ? { [key]: value } : {};
  };
  const sessionId =
    typeof fields.sessionId === 'string' && SESSION_ID_PATTERN.test(fields.sessionId) ? { sessionId: fields.sessionId } : {};
  const base = { ...sessionId, code: error.code, message: error.message };
  if (event === 'send_error') return { ...base, ...text('to'), ...text('clientMessageId') };
  if (event === 'phone_check_error') return { ...base, ...text('phoneNumber') };
  return { ...base, event: request };
}
