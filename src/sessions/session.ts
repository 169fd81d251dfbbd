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
 *
 * Its parts: login-codes.ts counts QR and pairing codes, restarts.ts times restarts, and the engine
 * events it only publishes are in engine-events.ts.
 */
import type { AccountInfo, EngineDisconnectReason, EngineListener, EngineSession, LoginOptions } from '../engines/engine';
import type { ServerPayload } from '../protocol/events';
import { GatewayError, toGatewayError } from '../protocol/errors';
import type { DisconnectReason, IncomingMessage, SessionStatus, SessionStatusPayload } from '../protocol/schemas';
import type { Logger } from '../logger';
import { withTimeout } from '../util/time-limit';
import { forwardedEvents } from './engine-events';
import { LoginCodes } from './login-codes';
import { AddressBook } from './requests/addresses';
import { renderQr } from './qr-renderer';
import { Restarts } from './restarts';
import { SendQueue } from './send-queue';
import type { SessionDeps } from './session-deps';
import { StatusWaiters } from './status-waiters';

export type { SessionDeps, SessionOptions } from './session-deps';

const ENDED: ReadonlySet<SessionStatus> = new Set(['stopped', 'failed', 'disconnected']);
/** A send WhatsApp is carrying out when the session is stopped gets this long to finish before the browser closes. */
const IN_FLIGHT_SEND_MS = 10_000;

export class Session {
  private status: SessionStatus = 'stopped';
  private account?: AccountInfo;
  private readonly codes: LoginCodes;
  private login: LoginOptions = {};
  /** Connected at least once since start(): a login exists, and a start_session's login options no longer matter. */
  private hasLoggedIn = false;
  /** Why it failed, while it is failed. */
  private failure?: GatewayError;
  private readonly restarts: Restarts;
  /** Bumped on every launch and stop, so late events of an old engine session are ignored. */
  private generation = 0;
  private engineSession?: EngineSession;
  private restartTimer?: NodeJS.Timeout;
  private firstSignal?: () => void;
  private eventChain: Promise<unknown> = Promise.resolve();
  /** Set by stop and logout: a send waiting for the connection gives up at once. */
  private stopping = false;
  private readonly statusWaiters = new StatusWaiters();
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
    this.queue = new SendQueue(deps.options.sendQueueMax, deps.options.sendPacing, deps.options.sendConcurrency);
    this.codes = new LoginCodes(deps.options);
    this.restarts = new Restarts(deps.options);
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
    const qr = this.latestQr();
    const pairingCode = this.latestPairingCode();
    return {
      sessionId: this.id,
      status: this.status,
      isConnected: this.isConnected,
      queueDepth: this.queue.depth,
      ...(this.account && { phoneNumber: this.account.phoneNumber, pushname: this.account.pushname }),
      ...(this.account?.webVersion && { webVersion: this.account.webVersion }),
      ...(qr && { qrCode: qr.qrCode }),
      ...(pairingCode && { pairingCode: pairingCode.code }),
      ...(this.status === 'failed' && this.failure && { error: { code: this.failure.code, message: this.failure.message } }),
    };
  }

  browserProcessId(): number | undefined {
    return this.engineSession?.browserProcessId?.();
  }

  latestQr(): ServerPayload<'qr_code'> | undefined {
    return this.status === 'qr' ? this.codes.latestQr : undefined;
  }

  latestPairingCode(): ServerPayload<'pairing_code'> | undefined {
    return this.status === 'pairing' ? this.codes.latestPairingCode : undefined;
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
    while (!this.stopping && (this.status === 'reconnecting' || (this.status === 'starting' && this.restarts.count > 0))) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new GatewayError('browser_closed', `session "${this.id}" lost its browser and did not come back within ${windowMs} ms`);
      await this.statusWaiters.next(left);
    }
    if (this.stopping || this.status === 'stopped' || this.status === 'disconnected' || this.status === 'failed') {
      throw this.stoppedError(this.stopping ? 'stopping' : this.status);
    }
    return this.connectedEngine();
  }

  start(login: LoginOptions = {}): void {
    this.restarts.reset();
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
    this.statusWaiters.wakeAll();
    this.queue.cancelWaiting(this.stoppedError('stopping'));
    await this.queue.whenIdle(IN_FLIGHT_SEND_MS);
  }

  private stoppedError(status: string): GatewayError {
    return new GatewayError('session_stopped', `session "${this.id}" is ${status}; the message was not sent`);
  }

  private launch(): void {
    const generation = this.invalidate();
    this.codes.reset();
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
    if (this.restarts.mayRetryStart()) {
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
      ...forwardedEvents({ sessionId: this.id, emit: this.deps.emit, handle, onCall: (call) => this.deps.onCall?.(this, call) }),
    };
  }

  private async onMessage(message: IncomingMessage): Promise<void> {
    const { autoDownload } = this.deps;
    const engine = this.engineSession;
    const published = autoDownload && engine ? await autoDownload.attach(this.id, engine, message) : message;
    this.deps.emit('message_received', { sessionId: this.id, message: published });
  }

  private async onQr(qr: string): Promise<void> {
    if (!this.codes.countQr()) {
      await this.endOnItsOwn('qr_timeout', 'disconnected');
      return;
    }
    const generation = this.generation;
    const qrCode = await renderQr(qr);
    if (generation !== this.generation) return;
    const shown = this.codes.showQr(this.id, qrCode, qr);
    this.firstSignal?.();
    this.setStatus('qr');
    this.deps.emit('qr_code', shown);
  }

  /** Like QR codes: shown until entered, and the session ends `qr_timeout` after PAIRING_CODE_MAX_ATTEMPTS of them. */
  private async onPairingCode(code: string): Promise<void> {
    const phoneNumber = this.login.pairWithPhoneNumber;
    if (!phoneNumber) return;
    if (!this.codes.countPairingCode()) {
      await this.endOnItsOwn('qr_timeout', 'disconnected');
      return;
    }
    const shown = this.codes.showPairingCode(this.id, code, phoneNumber);
    this.firstSignal?.();
    this.setStatus('pairing');
    this.deps.emit('pairing_code', shown);
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
    this.restarts.connected();
    this.hasLoggedIn = true;
    this.codes.clear();
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
    if (!this.restarts.mayRestart()) {
      this.failure = new GatewayError('engine_error', `${reason}, and ${this.restarts.count} restarts did not bring it back`);
      await this.endOnItsOwn(reason, 'failed');
      return;
    }
    await this.close();
    this.deps.emit('session_disconnected', { sessionId: this.id, reason });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = this.restarts.next();
    this.setStatus('reconnecting');
    this.logger.info({ attempt: this.restarts.count, delayMs: delay }, 'restarting session');
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
    this.statusWaiters.wakeAll();
  }
}
