/**
 * Every session of this gateway: creating, finding, stopping and restoring
 * them. What a request does with one session lives in sessions/requests/, which finds it with `get()`.
 */
import type { MediaAutoDownload } from './media-auto-download';
import type { Engine, LoginOptions } from '../engines/engine';
import { GatewayError, toGatewayError } from '../protocol/errors';
import type { RequestResult } from '../protocol/events';
import type { SessionStatusPayload } from '../protocol/schemas';
import type { Logger } from '../logger';
import { KeyedSerial } from './keyed-serial';
import type { Publisher } from './publisher';
import { Session, type SessionDeps, type SessionOptions } from './session';
import { StartLimiter } from './start-limiter';
import type { SessionStorage } from '../storage/session-storage';

interface SessionManagerDeps {
  engine: Engine;
  storage: SessionStorage;
  logger: Logger;
  options: SessionOptions & { maxSessions: number; maxConcurrentStarts: number };
  /** Publishes a session's event to whoever follows that session. */
  publish: Publisher;
  /** Called each time a session becomes connected. */
  onConnected?: (session: Session) => void;
  /** Called for each incoming call, after call_received was published. */
  onCall?: SessionDeps['onCall'];
  autoDownload?: MediaAutoDownload;
  catchUp?: SessionDeps['catchUp'];
}

/** The API key that starts a session, and how many sessions it may run. */
interface Owner {
  id: string;
  limit: number;
}

interface StartResult {
  session: Session;
  /** False when it was already running. */
  started: boolean;
  /** Its status right after this start, before any later request for it could change it. */
  snapshot: SessionStatusPayload;
}

interface LoadPolicy {
  /** The ids the asking key may see. */
  visible: (sessionId: string) => boolean;
  ownerOf: (sessionId: string) => Promise<Owner | undefined>;
  /** At boot nobody asked: a login that cannot start is listed as a failed session instead. */
  listFailures: boolean;
}

type LoadOutcome =
  { sessionId: string; outcome: 'loaded' | 'alreadyActive' | 'notStored' } | { sessionId: string; outcome: 'failed'; error: GatewayError };

export class SessionManager {
  private readonly sessions = new Map<string, Session>();
  /** Lifecycle requests (start, stop, logout, load, status) of one session id run one at a time, in arrival order. */
  private readonly lifecycle = new KeyedSerial();
  /** Set while load_sessions_from_storage lists DATA_DIR: later requests wait until it has queued its own work. */
  private listing: Promise<void> | null = null;
  private shuttingDown = false;
  private readonly limiter: StartLimiter;

  constructor(private readonly deps: SessionManagerDeps) {
    this.limiter = new StartLimiter(deps.options.maxConcurrentStarts);
  }

  /**
   * Starts the session, or answers the one already running (restarting it if it had ended).
   * Whenever it launches, the session becomes `owner`'s and counts against that key's limit.
   * `login` says how it logs in if WhatsApp asks; one still waiting for its login the other way
   * answers `login_in_progress`.
   * Resolves once earlier requests for this id are done and the launch is under way (not once a QR shows).
   */
  start(sessionId: string, owner?: Owner, login: LoginOptions = {}): Promise<StartResult> {
    return this.queue(sessionId, () => this.startNow(sessionId, owner, login));
  }

  /** Starts, then records the owner with the stored login, so a restart restores the session as the same key's. */
  private async startNow(sessionId: string, owner: Owner | undefined, login: LoginOptions = {}): Promise<StartResult> {
    const result = this.launch(sessionId, owner, login);
    if (!result.started) return result;
    await this.deps.storage.writeOwner(sessionId, owner?.id).catch((error: unknown) => {
      this.deps.logger.warn({ sessionId, err: error }, 'could not record who started the session; after a restart it counts for no key');
    });
    return result;
  }

  /** The limits are checked and the session entered in one synchronous step, so no other start slips in between. */
  private launch(sessionId: string, owner: Owner | undefined, login: LoginOptions): StartResult {
    if (this.shuttingDown) throw new GatewayError('shutting_down', 'the gateway is shutting down');
    const existing = this.sessions.get(sessionId);
    if (existing && !existing.hasEnded) {
      existing.assertSameLogin(login);
      return { session: existing, started: false, snapshot: existing.snapshot() };
    }
    this.assertRoom(existing, owner);
    this.deps.engine.assertCanStart();
    const session = existing ?? this.enter(sessionId);
    session.owner = owner?.id;
    session.start(login);
    return { session, started: true, snapshot: session.snapshot() };
  }

  /**
   * A listed session counts, even one that ended on its own; bringing an ended one back needs room
   * among those that run (a stored login restored as failed at boot may be one too many).
   */
  private assertRoom(ended: Session | undefined, owner: Owner | undefined): void {
    const counted = ended ? this.list().filter((session) => !session.hasEnded) : this.list();
    const { maxSessions } = this.deps.options;
    if (counted.length >= maxSessions) {
      throw new GatewayError('max_sessions', `this gateway already runs MAX_SESSIONS=${maxSessions} sessions`);
    }
    if (owner && counted.filter((session) => session.owner === owner.id).length >= owner.limit) {
      throw new GatewayError('max_sessions', `this API key already runs MAX_SESSIONS_PER_KEY=${owner.limit} sessions`);
    }
  }

  private enter(sessionId: string): Session {
    const session = new Session(sessionId, undefined, {
      engine: this.deps.engine,
      limiter: this.limiter,
      storage: this.deps.storage,
      emit: this.deps.publish(sessionId),
      logger: this.deps.logger,
      options: this.deps.options,
      onConnected: this.deps.onConnected,
      onCall: this.deps.onCall,
      autoDownload: this.deps.autoDownload,
      catchUp: this.deps.catchUp,
    });
    this.sessions.set(sessionId, session);
    return session;
  }

  /** Every session object, for metrics and health checks. */
  list(): Session[] {
    return [...this.sessions.values()];
  }

  find(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  get(sessionId: string): Session {
    const session = this.find(sessionId);
    if (!session) throw new GatewayError('session_not_found', `no active session "${sessionId}"; start it with start_session`);
    return session;
  }

  /** Waits up to `timeoutMs` for every send queue to empty (graceful shutdown). */
  async drainQueues(timeoutMs: number): Promise<void> {
    await Promise.all(this.list().map((session) => session.queue.whenIdle(timeoutMs)));
  }

  stop(sessionId: string): Promise<RequestResult<'stop_session'>> {
    return this.queue(sessionId, async () => {
      const session = this.get(sessionId);
      await this.closeWith(session, () => session.stop());
      return { sessionId, reason: 'stopped' };
    });
  }

  /** Logs out a running session, or deletes the stored login of one that is not running. */
  logout(sessionId: string): Promise<RequestResult<'logout_session'>> {
    return this.queue(sessionId, async () => {
      const session = this.sessions.get(sessionId);
      if (session) {
        await this.closeWith(session, () => session.logout());
      } else if (await this.deps.storage.has(sessionId)) {
        await this.deps.storage.remove(sessionId);
        this.deps.publish(sessionId)('session_disconnected', { sessionId, reason: 'logged_out' });
      } else {
        throw new GatewayError('session_not_found', `no active or stored session "${sessionId}"`);
      }
      return { sessionId, reason: 'logged_out' };
    });
  }

  /** Queued like the other lifecycle requests, so it answers the outcome of those sent before it. */
  status(sessionId: string): Promise<SessionStatusPayload> {
    return this.queue(sessionId, async () => {
      const session = this.sessions.get(sessionId);
      if (session) return session.snapshot();
      const stored = await this.deps.storage.has(sessionId);
      return { sessionId, status: stored ? 'stopped' : 'not_found', isConnected: false };
    });
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

  /**
   * Starts every stored login that is not running (also one that ended on its own), as `owner`'s
   * (counted against its limit); launches still queue behind MAX_CONCURRENT_STARTS. A login that
   * cannot start (a limit reached, no browser) is reported in `failed` and the others still load.
   */
  loadStored(visible: (sessionId: string) => boolean = () => true, owner?: Owner): Promise<RequestResult<'load_sessions_from_storage'>> {
    return this.loadEach({ visible, ownerOf: async () => owner, listFailures: false });
  }

  /**
   * At boot: starts every stored login as the key that last started it (`perKeyLimit` applies to it;
   * a login no key started counts for none). One that cannot start is listed as failed, with the
   * reason, and reported as session_error; the others still start.
   */
  restoreStored(perKeyLimit: number): Promise<RequestResult<'load_sessions_from_storage'>> {
    const ownerOf = async (sessionId: string) => {
      const keyId = await this.deps.storage.readOwner(sessionId).catch((error: unknown) => {
        this.deps.logger.warn({ sessionId, err: error }, 'unreadable owner record; restoring the session for no key');
        return undefined;
      });
      return keyId === undefined ? undefined : { id: keyId, limit: perKeyLimit };
    };
    return this.loadEach({ visible: () => true, ownerOf, listFailures: true });
  }

  /**
   * Its turn comes for every id at once: ids with a stored login, a session or requests still queued
   * (which may yet store a login) each get a task in their own queue, decided when that task runs.
   * The tasks decide in id order, so which logins a limit leaves out does not depend on disk timing.
   */
  private loadEach(policy: LoadPolicy): Promise<RequestResult<'load_sessions_from_storage'>> {
    return this.whenListed(async () => {
      const queued = this.deps.storage.list().then((stored) => {
        let previous = Promise.resolve();
        return [...new Set([...stored, ...this.sessions.keys(), ...this.lifecycle.busyKeys()])]
          .filter(policy.visible)
          .sort()
          .map((sessionId) => {
            const turn = previous;
            let done!: () => void;
            previous = new Promise((resolve) => (done = resolve));
            return this.lifecycle.run(sessionId, () => this.loadOne(sessionId, policy, turn).finally(done));
          });
      });
      const listed = () => {
        this.listing = null;
      };
      this.listing = queued.then(listed, listed);
      const outcomes = await Promise.all(await queued);
      return {
        loaded: outcomes.filter((o) => o.outcome === 'loaded').map((o) => o.sessionId),
        alreadyActive: outcomes.filter((o) => o.outcome === 'alreadyActive').map((o) => o.sessionId),
        failed: outcomes.flatMap((o) =>
          o.outcome === 'failed' ? [{ sessionId: o.sessionId, code: o.error.code, message: o.error.message }] : [],
        ),
      };
    });
  }

  /** `turn` settles once the load's task for the previous id has decided. */
  private async loadOne(sessionId: string, policy: LoadPolicy, turn: Promise<void>): Promise<LoadOutcome> {
    const stored = await this.deps.storage.has(sessionId);
    const owner = stored ? await policy.ownerOf(sessionId) : undefined;
    await turn;
    if (!stored) return { sessionId, outcome: 'notStored' };
    if (this.sessions.get(sessionId)?.hasEnded === false) return { sessionId, outcome: 'alreadyActive' };
    try {
      await this.startNow(sessionId, owner);
      return { sessionId, outcome: 'loaded' };
    } catch (error) {
      const failure = toGatewayError(error);
      if (policy.listFailures) this.enterFailed(sessionId, owner, failure);
      return { sessionId, outcome: 'failed', error: failure };
    }
  }

  private enterFailed(sessionId: string, owner: Owner | undefined, error: GatewayError): void {
    this.deps.logger.error({ sessionId, code: error.code, err: error.message }, 'a stored session could not be restored');
    const session = this.sessions.get(sessionId) ?? this.enter(sessionId);
    session.owner = owner?.id;
    session.fail(error);
  }

  /** Closes every session, keeping stored logins (server shutdown); requests still queued are refused. */
  async stopAll(): Promise<void> {
    this.shuttingDown = true;
    const ids = new Set([...this.sessions.keys(), ...this.lifecycle.busyKeys()]);
    await Promise.all(
      [...ids].map((sessionId) =>
        this.queue(sessionId, async () => {
          const session = this.sessions.get(sessionId);
          if (session) await this.closeWith(session, () => session.stop('shutdown'));
        }),
      ),
    );
  }

  private queue<T>(sessionId: string, task: () => T | Promise<T>): Promise<T> {
    return this.whenListed(() => this.lifecycle.run(sessionId, task));
  }

  /** Runs `next` now, or once the load that is listing DATA_DIR has queued its tasks (in arrival order). */
  private whenListed<T>(next: () => Promise<T>): Promise<T> {
    const listing = this.listing;
    return listing ? listing.then(() => this.whenListed(next)) : next();
  }

  private async closeWith(session: Session, close: () => Promise<void>): Promise<void> {
    try {
      await close();
    } finally {
      this.sessions.delete(session.id);
    }
  }
}
