/**
 * Every session of this gateway: creating, finding, stopping and restoring
 * them. Requests for one session go through `get()` to the Session itself.
 */
import type { Engine } from '../engines/engine';
import { GatewayError, toGatewayError } from '../protocol/errors';
import type { RequestPayload, RequestResult } from '../protocol/events';
import type { SessionStatusPayload } from '../protocol/schemas';
import type { Logger } from '../logger';
import { messageSent, sendMessage, type SendPolicy, type SendReceipt } from './actions';
import { IdempotencyCache } from './idempotency';
import { Session, type SessionEmitter, type SessionOptions } from './session';
import { StartLimiter } from './start-limiter';
import type { SessionStorage } from './storage';

export interface SessionManagerDeps {
  engine: Engine;
  storage: SessionStorage;
  logger: Logger;
  options: SessionOptions & { maxSessions: number; maxConcurrentStarts: number; idempotencyMaxEntries: number };
  /** Publishes a session's event to whoever follows that session. */
  publish: (sessionId: string) => SessionEmitter;
}

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  /** Ids being stopped or logged out right now. */
  private readonly closing = new Set<string>();
  private readonly limiter: StartLimiter;
  /** Receipts by clientMessageId (small: no message text), across all sessions. */
  private readonly sentByClientId: IdempotencyCache<SendReceipt>;

  constructor(private readonly deps: SessionManagerDeps) {
    this.limiter = new StartLimiter(deps.options.maxConcurrentStarts);
    // A send that may have gone out answers its retries the same way: it is never sent twice.
    this.sentByClientId = new IdempotencyCache(deps.options.idempotencyMaxEntries, {
      keepFailure: (error) => toGatewayError(error).code === 'send_unconfirmed',
    });
  }

  /**
   * Starts the session, or answers the one already running (restarting it if it had ended).
   * `owner` (an API key id) is counted against its limit when the session is new.
   */
  start(sessionId: string, owner?: { id: string; limit: number }): { session: Session; started: boolean } {
    this.assertNotClosing(sessionId);
    const existing = this.sessions.get(sessionId);
    if (existing) {
      if (!existing.hasEnded) return { session: existing, started: false };
      existing.start();
      return { session: existing, started: true };
    }
    if (this.sessions.size >= this.deps.options.maxSessions) {
      throw new GatewayError('max_sessions', `this gateway already runs MAX_SESSIONS=${this.deps.options.maxSessions} sessions`);
    }
    if (owner && this.countOwnedBy(owner.id) >= owner.limit) {
      throw new GatewayError('max_sessions', `this API key already runs MAX_SESSIONS_PER_KEY=${owner.limit} sessions`);
    }
    this.deps.engine.assertCanStart();
    const session = new Session(sessionId, owner?.id, {
      engine: this.deps.engine,
      limiter: this.limiter,
      storage: this.deps.storage,
      emit: this.deps.publish(sessionId),
      logger: this.deps.logger,
      options: this.deps.options,
    });
    this.sessions.set(sessionId, session);
    session.start();
    return { session, started: true };
  }

  private countOwnedBy(owner: string): number {
    return this.list().filter((session) => session.owner === owner).length;
  }

  /** Every session object, for metrics and health checks. */
  list(): Session[] {
    return [...this.sessions.values()];
  }

  get(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new GatewayError('session_not_found', `no active session "${sessionId}"; start it with start_session`);
    return session;
  }

  /** Sends through the session's queue; a repeated clientMessageId answers the first result. */
  async send(request: RequestPayload<'send_whatsapp_message'>, policy: SendPolicy): Promise<RequestResult<'send_whatsapp_message'>> {
    const send = async () => sendMessage(this.get(request.sessionId), request, policy);
    const receipt =
      request.clientMessageId === undefined
        ? await send()
        : await this.sentByClientId.run(`${request.sessionId}\u0000${request.clientMessageId}`, send);
    return messageSent(request.sessionId, request, receipt);
  }

  /** Waits up to `timeoutMs` for every send queue to empty (graceful shutdown). */
  async drainQueues(timeoutMs: number): Promise<void> {
    await Promise.all(this.list().map((session) => session.queue.whenIdle(timeoutMs)));
  }

  async stop(sessionId: string): Promise<RequestResult<'stop_session'>> {
    const session = this.get(sessionId);
    await this.closeWith(sessionId, () => session.stop());
    return { sessionId, reason: 'stopped' };
  }

  /** Logs out a running session, or deletes the stored login of one that is not running. */
  async logout(sessionId: string): Promise<RequestResult<'logout_session'>> {
    const session = this.sessions.get(sessionId);
    if (session) {
      await this.closeWith(sessionId, () => session.logout());
    } else if (await this.deps.storage.has(sessionId)) {
      await this.closeWith(sessionId, () => this.deps.storage.remove(sessionId));
      this.deps.publish(sessionId)('session_disconnected', { sessionId, reason: 'logged_out' });
    } else {
      throw new GatewayError('session_not_found', `no active or stored session "${sessionId}"`);
    }
    return { sessionId, reason: 'logged_out' };
  }

  async status(sessionId: string): Promise<SessionStatusPayload> {
    const session = this.sessions.get(sessionId);
    if (session) return session.snapshot();
    const stored = await this.deps.storage.has(sessionId);
    return { sessionId, status: stored ? 'stopped' : 'not_found', isConnected: false };
  }

  active(visible: (sessionId: string) => boolean = () => true): RequestResult<'get_active_sessions'> {
    return this.list()
      .filter((session) => visible(session.id))
      .map((session) => {
        const { qrCode: _qrCode, pushname: _pushname, ...summary } = session.snapshot();
        return summary;
      });
  }

  async available(visible: (sessionId: string) => boolean = () => true): Promise<RequestResult<'get_available_sessions'>> {
    const stored = (await this.deps.storage.list()).filter(visible);
    return stored.map((sessionId) => ({ sessionId, isActive: this.sessions.has(sessionId) }));
  }

  /** Starts every stored login that is not running; launches still queue behind MAX_CONCURRENT_STARTS. */
  async loadStored(visible: (sessionId: string) => boolean = () => true): Promise<RequestResult<'load_sessions_from_storage'>> {
    const loaded: string[] = [];
    const alreadyActive: string[] = [];
    for (const sessionId of (await this.deps.storage.list()).filter(visible)) {
      if (this.sessions.has(sessionId)) {
        alreadyActive.push(sessionId);
        continue;
      }
      this.start(sessionId);
      loaded.push(sessionId);
    }
    return { loaded, alreadyActive };
  }

  /** Closes every session, keeping stored logins (server shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((session) => this.closeWith(session.id, () => session.stop('shutdown'))));
  }

  private async closeWith(sessionId: string, close: () => Promise<void>): Promise<void> {
    this.assertNotClosing(sessionId);
    this.closing.add(sessionId);
    try {
      await close();
    } finally {
      this.sessions.delete(sessionId);
      this.closing.delete(sessionId);
    }
  }

  private assertNotClosing(sessionId: string): void {
    if (this.closing.has(sessionId)) {
      throw new GatewayError('session_exists', `session "${sessionId}" is being stopped; retry when session_disconnected arrives`);
    }
  }
}
