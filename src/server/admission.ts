/**
 * Who gets in, in the order things arrive: the Engine.IO handshake (origin;
 * a key in the x-api-key header or token query parameter is checked here
 * already), the connection's first message (a Socket.IO CONNECT, whose
 * `auth.token` is checked by the middleware), and until then a connection
 * may send nothing but that one small message (see connection-guard.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger';
import type { Access, ApiKeys } from './api-keys';
import { clientAddress } from './client-address';
import { ConnectionGuard, type EngineSocket, type MessageLimits } from './connection-guard';
import { originAllowed } from './origins';
import type { GatewaySocket } from './request-handlers';

export interface AdmissionOptions {
  keys: ApiKeys;
  corsOrigins: string[];
  limits: MessageLimits;
  logger: Logger;
}

type AllowRequestCallback = (error: string | null | undefined, success: boolean) => void;

export class Admission {
  /** Handshakes that carried a valid key in a header or the query: their connections start authenticated. */
  private readonly keyedHandshakes = new WeakMap<IncomingMessage, Access>();
  private readonly guards = new WeakMap<EngineSocket, ConnectionGuard>();

  constructor(private readonly options: AdmissionOptions) {}

  get limits(): MessageLimits {
    return this.options.limits;
  }

  /** Engine.IO's allowRequest: runs on every handshake (both transports), before anything is read from the connection. */
  readonly allowRequest = (req: IncomingMessage, callback: AllowRequestCallback): void => {
    if (!originAllowed(req.headers.origin, this.options.corsOrigins)) return callback('origin not allowed', false);
    const token = handshakeToken(req);
    const access = token === undefined ? null : this.options.keys.authenticate(token);
    if (access) this.keyedHandshakes.set(req, access);
    callback(null, true);
  };

  /** Every new Engine.IO connection: guarded until it authenticates (at once when no key is needed, or its handshake had one). */
  readonly watch = (conn: EngineSocket): void => {
    const guard = new ConnectionGuard(conn, this.options.limits, (reason) =>
      this.options.logger.warn({ address: clientAddress(conn.remoteAddress), reason }, 'closing a connection that broke the protocol'),
    );
    this.guards.set(conn, guard);
    if (!this.options.keys.required || this.keyedHandshakes.has(conn.request)) guard.admit();
  };

  /** Socket.IO middleware: the key decides, from `auth.token`, else the `x-api-key` header, else the `token` query parameter. */
  readonly authenticate = (socket: GatewaySocket, next: (error?: Error) => void): void => {
    const { auth, headers, query } = socket.handshake;
    const access = this.options.keys.authenticate((auth as { token?: unknown }).token ?? headers['x-api-key'] ?? query.token);
    if (!access) return next(new Error('unauthorized'));
    socket.data.access = access;
    this.guards.get(socket.conn)?.admit();
    next();
  };
}

function handshakeToken(req: IncomingMessage): string | string[] | undefined {
  return req.headers['x-api-key'] ?? new URL(req.url ?? '/', 'http://gateway').searchParams.get('token') ?? undefined;
}
