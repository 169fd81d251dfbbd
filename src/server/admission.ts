/**
 * Who gets in, in the order things arrive: the Engine.IO handshake (origin,
 * addresses blocked for failed authentications, handshakes per address),
 * then the connection's first message, a Socket.IO CONNECT, where the key is
 * checked. Until then a connection may send nothing but that one small
 * message (connection-guard.ts). A refused key is answered `unauthorized`
 * and the connection closed: one guess per connection, and the guesses of an
 * address are counted (auth-failures.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger';
import type { ApiKeys } from './api-keys';
import type { AuthFailures } from './auth-failures';
import type { RateLimits } from './rate-limit';
import { clientAddress } from './client-address';
import { ConnectionGuard, type EngineSocket, type MessageLimits } from './connection-guard';
import { originAllowed } from './origins';
import type { GatewaySocket } from './socket-types';

interface AdmissionOptions {
  keys: ApiKeys;
  corsOrigins: string[];
  limits: MessageLimits;
  failures: AuthFailures;
  rateLimits: RateLimits;
  logger: Logger;
}

type AllowRequestCallback = (error: string | null | undefined, success: boolean) => void;

export class Admission {
  private readonly guards = new WeakMap<EngineSocket, ConnectionGuard>();

  constructor(private readonly options: AdmissionOptions) {}

  get limits(): MessageLimits {
    return this.options.limits;
  }

  /** Engine.IO's allowRequest: runs on every handshake (both transports), before anything is read from the connection. */
  readonly allowRequest = (req: IncomingMessage, callback: AllowRequestCallback): void => {
    if (!originAllowed(req.headers.origin, this.options.corsOrigins)) return callback('origin not allowed', false);
    const address = clientAddress(req.socket.remoteAddress);
    // A handshake that carries a valid key itself gets in even from a blocked address (someone else behind the same NAT may be guessing).
    if (this.options.failures.isBlocked(address) && !this.carriesValidKey(req)) {
      return callback('too many failed authentications from this address; try again later', false);
    }
    if (!this.options.rateLimits.admitHandshake(address)) return callback('too many connections from this address; slow down', false);
    callback(null, true);
  };

  /** Every new Engine.IO connection: guarded, with the pre-authentication limits until its CONNECT passes. */
  readonly watch = (conn: EngineSocket): void => {
    const address = clientAddress(conn.remoteAddress);
    const guard = new ConnectionGuard(conn, this.options.limits, (reason, authenticated) => {
      if (!authenticated) return this.options.failures.record(address, { via: conn.transport.name, reason });
      this.options.logger.warn({ address, reason }, 'closing a connection that broke the protocol');
      this.options.rateLimits.penalize(address);
    });
    this.guards.set(conn, guard);
  };

  /** Socket.IO middleware: the key decides, from `auth.token`, else the `x-api-key` header, else the `token` query parameter. */
  readonly authenticate = (socket: GatewaySocket, next: (error?: Error) => void): void => {
    const { auth, headers, query } = socket.handshake;
    const token = (auth as { token?: unknown }).token ?? headers['x-api-key'] ?? query.token;
    const access = this.options.keys.authenticate(token);
    if (!access) {
      const reason = token === undefined ? 'no key' : 'wrong key';
      this.options.failures.record(clientAddress(socket.conn.remoteAddress), { via: socket.conn.transport.name, reason });
      next(new Error('unauthorized'));
      // After Socket.IO has queued the refusal: Engine.IO flushes it to the client, then closes.
      setImmediate(() => socket.conn.close());
      return;
    }
    socket.data.access = access;
    this.guards.get(socket.conn)?.admit();
    next();
  };

  private carriesValidKey(req: IncomingMessage): boolean {
    const token = req.headers['x-api-key'] ?? new URL(req.url ?? '/', 'http://gateway').searchParams.get('token');
    return this.options.keys.required && token !== null && this.options.keys.authenticate(token) !== null;
  }
}
