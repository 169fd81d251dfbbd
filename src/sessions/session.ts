/**
 * One WhatsApp account: its status machine, its engine session and its send
 * queue. Status changes and engine events are published through `emit`; the
 * socket layer decides who receives them.
 *
 *   starting → qr | pairing → connected ⇄ reconnecting → … → failed
 *        ↘ failed (start error)      ↘ disconnected (logged out from the phone, qr_timeout)
 *   The way it logs in (QR, or a pairing code for a number) is fixed by start(): restarts keep it.
 *   stop_session / logout_session end the session from any status.
 *
 * A login must be storable: DATA_DIR_MIN_FREE_MB free and DATA_DIR taking a write before a launch,
 * and again with the session's own folder when it connects. Otherwise the session ends `failed`
 * with `storage_failed` rather than look connected and show a QR at the next start (Chromium
 * carries on silently when it cannot save its profile).
 */
import type { AccountInfo, Engine, EngineDisconnectReason, EngineListener, EngineSession, LoginOptions } from '../engines/engine';
import type { IncomingCall } from '../engines/capabilities/receiving';
import type { ServerPayload } from '../protocol/events';
import type { MediaAutoDownload } from './media-auto-download';
import type { SessionEmitter } from './publisher';
import { GatewayError, toGatewayError } from '../protocol/errors';
import type { DisconnectReason, IncomingMessage, SessionStatus, SessionStatusPayload } from '../protocol/schemas';
import type { Logger } from '../logger';
import type { SessionStorage } from '../storage/session-storage';
import type { StartLimiter } from './start-limiter';
import { withTimeout } from '../util/time-limit';
import { AddressBook } from './requests/addresses';
import { renderQr } from './qr-renderer';
import { SendQueue, type SendPacing } from './send-queue';

export interface SessionOptions {
  startTimeoutMs: number;
  qrMaxAttempts: number;
  pairingCodeMaxAttempts: number;
  restartMaxAttempts: number;
  restartBaseDelayMs: number;
  sendQueueMax: number;
  sendPacing: SendPacing;
}

export interface SessionDeps {
  engine: Engine;
  limiter: StartLimiter;
  storage: SessionStorage;
  emit: SessionEmitter;
  logger: Logger;
  options: SessionOptions;
  /** Called each time the session becomes connected, right after session_connected (the outbox resumes then). */
  onConnected?: (session: Session) => void;
  /** Called for each incoming call, right after call_received (REJECT_CALLS declines it then). */
  onCall?: (session: Session, call: IncomingCall) => void;
  /** MEDIA_AUTO_DOWNLOAD: keeps an incoming message's file before the message is published. */
  autoDownload?: MediaAutoDownload;
}

const RESTART_MAX_DELAY_MS = 60_000;
/** A connection that lasted this long proves the restart worked: the next failure starts a fresh count. */
const STABLE_CONNECTION_MS = 60_000;
const ENDED: ReadonlySet<SessionStatus> = new Set(['stopped', 'failed', 'disconnected']);
/** A send WhatsApp is carrying out when the session is stopped gets this long to finish before the browser closes. */
const IN_FLIGHT_SEND_MS = 10_000;

export class Session {
  private status: SessionStatus = 'stopped';
  private account?: AccountInfo;
  private qr?: ServerPayload<'qr_code'>;
  private pairingCode?: ServerPayload<'pairing_code'>;
  private login: LoginOptions = {};
  /** Connected at least once since start(): a login exists, and a start_session's login options no longer matter. */
  private hasLoggedIn = false;
  /** Why it failed, while it is failed. */
  private failure?: GatewayError;
  private qrAttempts = 0;
  private pairingCodeAttempts = 0;
  private restarts = 0;
  private connectedAt = 0;
  /** Bumped on every launch and stop, so late events of an old engine session are ignored. */
  private generation = 0;
  private engineSession?: EngineSession;
  private restartTimer?: NodeJS.Timeout;
  private firstSignal?: () => void;
  private eventChain: Promise<unknown> = Promise.resolve();
  /** Set by stop and logout: a send waiting for the connection gives up at once. */
  private stopping = false;
  private statusWaiters = new Set<() => void>();
  readonly queue: SendQueue;
  /** Numbers this session already looked up. */
  readonly addresses = new AddressBook();
  private readonly logger: Logger;

  constructor(
    readonly id: string,
    /** Who started it last (an API key id), for per-key limits; the manager sets it on every start. */
    public owner: string | undefined,
    private readonly deps: SessionDeps,
  ) {
    this.queue = new SendQueue(deps.options.sendQueueMax, deps.options.sendPacing);
    this.logger = deps.logger.child({ sessionId: id });
  }

  get isConnected(): boolean {
    return this.status === 'connected';
  }

  /** Ended on its own (failed, logged out from the phone, QR timeout): start() brings it back. */
  get hasEnded(): boolean {
    return ENDED.has(this.status);
  }

  snapshot(): SessionStatusPayload {
    return {
      sessionId: this.id,
      status: this.status,
      isConnected: this.isConnected,
      queueDepth: this.queue.depth,
      ...(this.account && { phoneNumber: this.account.phoneNumber, pushname: this.account.pushname }),
      ...(this.account?.webVersion && { webVersion: this.account.webVersion }),
      ...(this.status === 'qr' && this.qr && { qrCode: this.qr.qrCode }),
      ...(this.status === 'pairing' && this.pairingCode && { pairingCode: this.pairingCode.code }),
      ...(this.status === 'failed' && this.failure && { error: { code: this.failure.code, message: this.failure.message } }),
    };
  }

  browserProcessId(): number | undefined {
    return this.engineSession?.browserProcessId?.();
  }

  latestQr(): ServerPayload<'qr_code'> | undefined {
    return this.status === 'qr' ? this.qr : undefined;
  }

  latestPairingCode(): ServerPayload<'pairing_code'> | undefined {
    return this.status === 'pairing' ? this.pairingCode : undefined;
  }

  /**
   * A running session keeps the way it was started until it has logged in: the library cannot turn
   * a page showing a QR into one showing a pairing code (avoylenko/wwebjs-api #154), nor change the number.
   */
  assertSameLogin(login: LoginOptions): void {
    const wanted = login.pairWithPhoneNumber;
    const current = this.login.pairWithPhoneNumber;
    if (this.hasEnded || this.hasLoggedIn || wanted === current) return;
    const way = current ? `with a pairing code for ${current}` : 'with a QR code';
    throw new GatewayError(
      'login_in_progress',
      `session "${this.id}" is already ${this.status}, logging in ${way}; stop it first to start it another way`,
    );
  }

  /** The engine session, when connected; otherwise `session_not_connected`. */
  connectedEngine(): EngineSession {
    if (!this.isConnected || !this.engineSession) {
      throw new GatewayError('session_not_connected', `session "${this.id}" is ${this.status}, not connected`);
    }
    return this.engineSession;
  }

  /**
   * The engine session once connected. A session that is reconnecting gets
   * `windowMs` to come back (then `browser_closed`); one that was stopped or
   * logged out answers `session_stopped`.
   */
  async waitForConnection(windowMs: number): Promise<EngineSession> {
    const deadline = Date.now() + windowMs;
    while (!this.stopping && (this.status === 'reconnecting' || (this.status === 'starting' && this.restarts > 0))) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new GatewayError('browser_closed', `session "${this.id}" lost its browser and did not come back within ${windowMs} ms`);
      await this.nextStatusChange(left);
    }
    if (this.stopping || this.status === 'stopped' || this.status === 'disconnected' || this.status === 'failed') {
      throw this.stoppedError(this.stopping ? 'stopping' : this.status);
    }
    return this.connectedEngine();
  }

  private nextStatusChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.statusWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.statusWaiters.add(done);
    });
  }

  start(login: LoginOptions = {}): void {
    this.restarts = 0;
    this.stopping = false;
    this.login = login;
    this.hasLoggedIn = false;
    this.launch();
  }

  /** Ends a start that could not happen at all (e.g. a stored login restored without a browser): failed, with the reason. */
  fail(error: GatewayError): void {
    this.failure = error;
    this.setStatus('failed');
    this.deps.emit('session_error', { sessionId: this.id, event: 'start_session', code: error.code, message: error.message });
  }

  async stop(reason: Extract<DisconnectReason, 'stopped' | 'shutdown'> = 'stopped'): Promise<void> {
    await this.endSends();
    await this.close();
    this.setStatus('stopped');
    this.deps.emit('session_disconnected', { sessionId: this.id, reason });
  }

  async logout(): Promise<void> {
    await this.endSends();
    const engineSession = this.detach();
    await engineSession?.logout().catch((error) => this.logger.warn({ err: error }, 'logout failed; deleting the stored login anyway'));
    await engineSession?.stop();
    await this.deps.storage.remove(this.id);
    this.setStatus('stopped');
    this.deps.emit('session_disconnected', { sessionId: this.id, reason: 'logged_out' });
  }

  /** Cancels the sends still waiting and lets the one WhatsApp is carrying out finish, so it is not cut off mid-send. */
  private async endSends(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.statusWaiters]) wake();
    this.queue.cancelWaiting(this.stoppedError('stopping'));
    await this.queue.whenIdle(IN_FLIGHT_SEND_MS);
  }

  private stoppedError(status: string): GatewayError {
    return new GatewayError('session_stopped', `session "${this.id}" is ${status}; the message was not sent`);
  }

  private launch(): void {
    const generation = this.invalidate();
    this.qrAttempts = 0;
    this.qr = undefined;
    this.pairingCodeAttempts = 0;
    this.pairingCode = undefined;
    this.failure = undefined;
    this.setStatus('starting');
    const engineSession = this.deps.engine.createSession(this.id, this.listenerFor(generation), this.login);
    this.engineSession = engineSession;
    this.deps.limiter
      .run(() => this.bringUp(engineSession, generation))
      .catch((error: unknown) => this.onStartFailure(generation, toGatewayError(error)));
  }

  /** Holds a launch slot until the engine shows a QR or connects, or START_TIMEOUT_MS passes. */
  private async bringUp(engineSession: EngineSession, generation: number): Promise<void> {
    if (generation !== this.generation) return;
    await this.deps.storage.assertWritable();
    if (generation !== this.generation) return;
    const signal = new Promise<void>((resolve) => (this.firstSignal = resolve));
    const launched = engineSession.start().then(() => signal);
    const { startTimeoutMs } = this.deps.options;
    await withTimeout(
      Promise.race([signal, launched]),
      startTimeoutMs,
      () => new GatewayError('start_timeout', `no QR code or connection within ${startTimeoutMs} ms`),
    );
  }

  private async onStartFailure(generation: number, error: GatewayError): Promise<void> {
    if (generation !== this.generation) return;
    this.logger.error({ code: error.code, err: error.message }, 'session failed to start');
    await this.close();
    if (this.restarts > 0 && this.restarts < this.deps.options.restartMaxAttempts) {
      this.scheduleRestart();
      return;
    }
    this.fail(error);
  }

  /** Storage failing after the launch check (the disk filled while pairing): final, no restart. */
  private async onStorageFailure(error: GatewayError): Promise<void> {
    this.logger.error({ code: error.code, err: error.message }, 'session storage failed');
    await this.close();
    this.fail(error);
  }

  /** Engine events are handled one after another, in the order the engine reported them. */
  private listenerFor(generation: number): EngineListener {
    const handle = (handler: () => unknown) => {
      this.eventChain = this.eventChain
        .then(() => (generation === this.generation ? handler() : undefined))
        .catch((error: unknown) => this.logger.error({ err: error }, 'engine event handler failed'));
    };
    return {
      onQr: (qr) => handle(() => this.onQr(qr)),
      onPairingCode: (code) => handle(() => this.onPairingCode(code)),
      onConnected: (account) => handle(() => this.onConnected(account)),
      onDisconnected: (reason) => handle(() => this.onEngineDisconnected(reason)),
      onMessage: (message) => handle(() => this.onMessage(message)),
      onAck: (messageId, ack) => handle(() => this.deps.emit('message_ack', { sessionId: this.id, messageId, ack })),
      // receiving (issue 14)
      onOwnMessage: (message) => handle(() => this.deps.emit('own_message', { sessionId: this.id, message })),
      onMessageEdited: (edit) => handle(() => this.deps.emit('message_edited', { sessionId: this.id, ...edit })),
      onMessageRevoked: (revoke) => handle(() => this.deps.emit('message_revoked', { sessionId: this.id, ...revoke })),
      onReaction: (reaction) => handle(() => this.deps.emit('message_reaction', { sessionId: this.id, ...reaction })),
      onPollVote: (vote) => handle(() => this.deps.emit('poll_vote', { sessionId: this.id, ...vote })),
      onCall: (call) =>
        handle(() => {
          this.deps.emit('call_received', { sessionId: this.id, ...call });
          this.deps.onCall?.(this, call);
        }),
    };
  }

  private async onMessage(message: IncomingMessage): Promise<void> {
    const { autoDownload } = this.deps;
    const engine = this.engineSession;
    const published = autoDownload && engine ? await autoDownload.attach(this.id, engine, message) : message;
    this.deps.emit('message_received', { sessionId: this.id, message: published });
  }

  private async onQr(qr: string): Promise<void> {
    this.qrAttempts += 1;
    if (this.qrAttempts > this.deps.options.qrMaxAttempts) {
      await this.endOnItsOwn('qr_timeout', 'disconnected');
      return;
    }
    const generation = this.generation;
    const qrCode = await renderQr(qr);
    if (generation !== this.generation) return;
    this.qr = { sessionId: this.id, qrCode, qr, attempt: this.qrAttempts };
    this.firstSignal?.();
    this.setStatus('qr');
    this.deps.emit('qr_code', this.qr);
  }

  /** Like QR codes: shown until entered, and the session ends `qr_timeout` after PAIRING_CODE_MAX_ATTEMPTS of them. */
  private async onPairingCode(code: string): Promise<void> {
    const phoneNumber = this.login.pairWithPhoneNumber;
    if (!phoneNumber) return;
    this.pairingCodeAttempts += 1;
    if (this.pairingCodeAttempts > this.deps.options.pairingCodeMaxAttempts) {
      await this.endOnItsOwn('qr_timeout', 'disconnected');
      return;
    }
    this.pairingCode = { sessionId: this.id, code, phoneNumber, attempt: this.pairingCodeAttempts };
    this.firstSignal?.();
    this.setStatus('pairing');
    this.deps.emit('pairing_code', this.pairingCode);
  }

  private async onConnected(account: AccountInfo): Promise<void> {
    const same = this.isConnected && this.account?.phoneNumber === account.phoneNumber;
    this.account = account;
    this.firstSignal?.();
    if (same) return;
    const generation = this.generation;
    const storageError = await this.deps.storage.assertCanStore(this.id).then(
      () => undefined,
      (error: unknown) => toGatewayError(error, 'storage_failed'),
    );
    if (generation !== this.generation) return;
    if (storageError) return this.onStorageFailure(storageError);
    this.connectedAt = Date.now();
    this.hasLoggedIn = true;
    this.qr = undefined;
    this.pairingCode = undefined;
    this.setStatus('connected');
    this.deps.emit('session_connected', { sessionId: this.id, ...account });
    this.deps.onConnected?.(this);
  }

  private async onEngineDisconnected(reason: EngineDisconnectReason): Promise<void> {
    this.logger.warn({ reason }, 'engine disconnected');
    if (reason === 'logged_out') {
      // The login is gone before anyone hears so: a client that sees logged_out finds nothing stored.
      await this.close();
      await this.deps.storage.remove(this.id);
      await this.endOnItsOwn('logged_out', 'disconnected');
      return;
    }
    if (this.connectedAt && Date.now() - this.connectedAt >= STABLE_CONNECTION_MS) this.restarts = 0;
    if (this.restarts >= this.deps.options.restartMaxAttempts) {
      this.failure = new GatewayError('engine_error', `${reason}, and ${this.restarts} restarts did not bring it back`);
      await this.endOnItsOwn(reason, 'failed');
      return;
    }
    await this.close();
    this.deps.emit('session_disconnected', { sessionId: this.id, reason });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const { restartBaseDelayMs } = this.deps.options;
    const delay = Math.min(restartBaseDelayMs * 2 ** this.restarts, RESTART_MAX_DELAY_MS);
    this.restarts += 1;
    this.setStatus('reconnecting');
    this.logger.info({ attempt: this.restarts, delayMs: delay }, 'restarting session');
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }

  private async endOnItsOwn(reason: DisconnectReason, status: 'disconnected' | 'failed'): Promise<void> {
    await this.close();
    this.setStatus(status);
    this.deps.emit('session_disconnected', { sessionId: this.id, reason });
  }

  /** Stop the engine session (if any) and ignore whatever it still reports. */
  private async close(): Promise<void> {
    await this.detach()?.stop();
  }

  /** Lets go of the engine session: its later events are ignored. Returns it for closing. */
  private detach(): EngineSession | undefined {
    const engineSession = this.engineSession;
    this.invalidate();
    this.engineSession = undefined;
    return engineSession;
  }

  /** Starts a new generation; a launch still waiting for its first QR lets go of its slot. */
  private invalidate(): number {
    clearTimeout(this.restartTimer);
    this.firstSignal?.();
    this.firstSignal = undefined;
    this.generation += 1;
    return this.generation;
  }

  private setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    if (ENDED.has(status)) this.queue.cancelWaiting(this.stoppedError(status));
    this.logger.info({ status }, 'session status');
    this.deps.emit('session_status', this.snapshot());
    for (const wake of [...this.statusWaiters]) wake();
  }
}
