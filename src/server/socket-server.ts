/**
 * Socket.IO wiring: validates every client event against its schema, runs
 * its handler, and answers through the success or error event (and the
 * acknowledgement, when the client passed one). Session events go to the
 * rooms of the connections that follow that session.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { z } from 'zod';
import { GatewayError, toGatewayError } from '../protocol/errors';
import {
  requests,
  type ClientToServerEvents,
  type ErrorEventName,
  type RequestName,
  type ServerEventName,
  type ServerPayload,
  type ServerToClientEvents,
} from '../protocol/events';
import { SESSION_ID_PATTERN } from '../protocol/schemas';
import type { Logger } from '../logger';
import type { SessionEmitter } from '../sessions/session';
import type { GatewaySocket, RequestHandlers, Reply } from './request-handlers';

export type GatewayIo = Server<ClientToServerEvents, ServerToClientEvents>;

const ALL_SESSIONS_ROOM = 'sessions:*';
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

export function createSocketServer(httpServer: HttpServer, corsOrigins: string[]): GatewayIo {
  return new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: '/ws',
    transports: ['websocket', 'polling'],
    cors: { origin: corsOrigins.includes('*') ? '*' : corsOrigins },
  });
}

/** The emitter a session publishes through: its followers and the connections that follow every session. */
export function sessionPublisher(io: GatewayIo): (sessionId: string) => SessionEmitter {
  return (sessionId) =>
    (event, payload) => {
      (io.to([ALL_SESSIONS_ROOM, sessionRoom(sessionId)]).emit as AnyEmit)(event, payload);
    };
}

type AnyEmit = (event: ServerEventName, payload: unknown) => boolean;

export function attachRequestHandlers(io: GatewayIo, handlers: RequestHandlers, logger: Logger): void {
  io.on('connection', (socket) => {
    void socket.join(ALL_SESSIONS_ROOM);
    for (const name of Object.keys(requests) as RequestName[]) {
      socket.on(name, (...args: unknown[]) => void handleRequest(socket, name, args, handlers, logger));
    }
  });
}

async function handleRequest(socket: GatewaySocket, name: RequestName, args: unknown[], handlers: RequestHandlers, logger: Logger) {
  const ack = typeof args.at(-1) === 'function' ? (args.pop() as (response: unknown) => void) : undefined;
  const raw = args[0];
  const spec = requests[name];
  try {
    const parsed = spec.payload.safeParse(raw);
    if (!parsed.success) throw new GatewayError('invalid_payload', describeIssue(parsed.error));
    const handler = handlers[name] as (payload: unknown, context: object) => Promise<Reply<RequestName>> | Reply<RequestName>;
    const reply = await handler(parsed.data, { socket, subscribe: (ids: '*' | string[]) => follow(socket, ids) });
    if (!reply.publishedFor || !follows(socket, reply.publishedFor)) emit(socket, spec.success, reply.data);
    ack?.({ ok: true, data: reply.data });
  } catch (cause) {
    const error = toGatewayError(cause);
    if (!(cause instanceof GatewayError)) logger.error({ err: cause, event: name }, 'request failed unexpectedly');
    emit(socket, spec.error, errorPayload(spec.error, name, raw, error));
    ack?.({ ok: false, error: { code: error.code, message: error.message } });
  }
}

function emit<E extends ServerEventName>(socket: GatewaySocket, event: E, payload: ServerPayload<E>): void {
  (socket.emit as AnyEmit)(event, payload);
}

function follow(socket: GatewaySocket, sessionIds: '*' | string[]): void {
  for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
  if (sessionIds === '*') void socket.join(ALL_SESSIONS_ROOM);
  else void socket.join(sessionIds.map(sessionRoom));
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
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const text = (key: string) => {
    const value = fields[key];
    return typeof value === 'string' && value.length <= 128 ? { [key]: value } : {};
  };
  const sessionId = typeof fields.sessionId === 'string' && SESSION_ID_PATTERN.test(fields.sessionId) ? { sessionId: fields.sessionId } : {};
  const base = { ...sessionId, code: error.code, message: error.message };
  if (event === 'send_error') return { ...base, ...text('to'), ...text('clientMessageId') };
  if (event === 'phone_check_error') return { ...base, ...text('phoneNumber') };
  return { ...base, event: request };
}
