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
import { requests, type ErrorEventName, type RequestName, type RequestPayload, type ServerPayload } from '../protocol/events';
import { SESSION_ID_PATTERN } from '../protocol/schemas';
import type { Logger } from '../logger';
import { PublishedError } from '../sessions/publisher';
import type { Admission } from './admission';
import { canUse, OPEN_ACCESS, type Access } from './api-keys';
import { clientAddress } from './client-address';
import type { RateLimits, RateLimitScope } from './rate-limit';
import type { Handler, RequestHandlers } from './request-handlers';
import type { GatewayIo, GatewaySocket } from './socket-types';
import { follows, sendTo, type Subscriptions } from './subscriptions';

interface SocketServerOptions {
  corsOrigins: string[];
  admission: Admission;
  /** AUTH_TIMEOUT_MS: a connection that has not authenticated by then is closed. */
  authTimeoutMs: number;
  /** RECOVERY_WINDOW_MS: how long Socket.IO keeps a dropped connection's rooms and missed events (0 = off). */
  recoveryWindowMs: number;
}

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
    // The key is checked again on a recovered connection: skipMiddlewares stays false.
    ...(options.recoveryWindowMs > 0 && {
      connectionStateRecovery: { maxDisconnectionDuration: options.recoveryWindowMs, skipMiddlewares: false },
    }),
  });
  io.engine.on('connection', admission.watch);
  return io;
}

interface RequestRouting {
  handlers: RequestHandlers;
  subscriptions: Subscriptions;
  rateLimits: RateLimits;
  logger: Logger;
  /** While true (graceful shutdown), every request is refused. */
  isClosing: () => boolean;
}

export function attachRequestHandlers(io: GatewayIo, routing: RequestRouting): void {
  io.on('connection', (socket) => {
    void resumeFromHandshake(socket, routing);
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
      subscribe: (ids, since, events) => routing.subscriptions.subscribe(socket, ids, since, events),
    });
    // A follower got the published event already (or left it out: sendTo would not send it either).
    if (!reply.publishedFor || !follows(socket, reply.publishedFor)) sendTo(socket, spec.success, reply.data);
    ack?.({ ok: true, data: reply.data });
  } catch (cause) {
    const error = withinScope(toGatewayError(cause), socket.data.access);
    if (!(cause instanceof GatewayError)) routing.logger.error({ err: cause, event: name }, 'request failed unexpectedly');
    const published = cause instanceof PublishedError && follows(socket, cause.publishedFor);
    if (!published) sendTo(socket, spec.error, errorPayload(spec.error, name, raw, error));
    ack?.({ ok: false, error: { code: error.code, message: error.message } });
  }
}

/**
 * A new connection follows every session in its scope, with the event filter of `auth.events` when it
 * names one; one that names `auth.since` in its handshake first gets what it missed of those sessions,
 * then `subscribed` with what was replayed.
 */
async function resumeFromHandshake(socket: GatewaySocket, routing: RequestRouting): Promise<void> {
  const auth = socket.handshake.auth as { since?: unknown; events?: unknown };
  const since = handshakeField(socket, 'since', auth.since);
  const events = handshakeField(socket, 'events', auth.events);
  try {
    if (socket.recovered) {
      await routing.subscriptions.recovered(socket, since);
      return;
    }
    const replayed = await routing.subscriptions.connected(socket, since, events);
    if (since) sendTo(socket, 'subscribed', { sessionIds: '*', ...(events && { events }), replayed });
  } catch (error) {
    routing.logger.error({ err: error }, 'could not replay the events a connection asked for');
    sendTo(socket, 'session_error', {
      event: 'subscribe',
      code: toGatewayError(error, 'storage_failed').code,
      message: 'the replay failed',
    });
  }
}

/** A handshake field checked as subscribe's; a bad one is reported (`session_error`) and ignored. */
function handshakeField<F extends 'since' | 'events'>(socket: GatewaySocket, field: F, value: unknown): SubscribeFields[F] | undefined {
  const parsed = requests.subscribe.payload.shape[field].safeParse(value);
  if (parsed.success) return parsed.data as SubscribeFields[F];
  sendTo(socket, 'session_error', {
    event: 'subscribe',
    code: 'invalid_payload',
    message: `auth.${field}: ${describeIssue(parsed.error)}`,
  });
  return undefined;
}

type SubscribeFields = RequestPayload<'subscribe'>;

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
