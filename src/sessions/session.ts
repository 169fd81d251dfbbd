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
 * Its parts: engine-slot.ts holds the current engine session (late events of an old one are ignored),
 * event-order.ts runs the engine's events in order, login-events.ts shows QR and pairing codes
 * (login-codes.ts counts them), restart-policy.ts restarts or ends the session when the engine gives
 * out (restarts.ts times the restarts), send-gate.ts lets sends wait for a session coming back, and
 * the engine events it only publishes are in engine-events.ts.
 */
import type { AccountInfo, EngineListener, EngineSession, LoginOptions } from '../engines/engine';
import type { ServerPayload } from '../protocol/events';
import { GatewayError, toGatewayError } from '../protocol/errors';
import type { DisconnectReason, IncomingMessage, SessionStatus, SessionStatusPayload } from '../protocol/schemas';
import type { Logger } from '../logger';
import { forwardedEvents } from './engine-events';
import { EngineSlot } from './engine-slot';
import { EventOrder } from './event-order';
import { IncomingDelivery } from './incoming';
import { LoginCodes } from './login-codes';
import { LoginEvents } from './login-events';
import { AddressBook } from './requests/addresses';
import { RestartPolicy } from './restart-policy';
import { Restarts } from './restarts';
import { SendGate } from './send-gate';
import { SendQueue } from './send-queue';
import type { SessionDeps } from './session-deps';

export type { SessionDeps, SessionOptions } from './session-deps';

const ENDED: ReadonlySet<SessionStatus> = new Set(['stopped', 'failed', 'disconnected']);

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
  private readonly slot = new EngineSlot();
  private readonly events: EventOrder;
  private readonly gate: SendGate;
  private readonly policy: RestartPolicy;
  private readonly loginEvents: LoginEvents;
  readonly queue: SendQueue;
  /** Numbers this session already looked up. */
  readonly addresses = new AddressBook();
  private readonly logger: Logger;
  private readonly incoming: IncomingDelivery;

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
    this.incoming = new IncomingDelivery(id, deps);
    this.events = new EventOrder(this.logger);
    this.gate = new SendGate(id, this.queue, { status: () => this.status, restarted: () => this.restarts.count > 0 });
    const controls = {
      setStatus: (status: SessionStatus) => this.setStatus(status),
      setFailure: (error: GatewayError) => (this.failure = error),
      launch: () => this.launch(),
    };
    const { slot, restarts, logger } = this;
    this.policy = new RestartPolicy({ sessionId: id, controls, slot, restarts, logger, session: deps });
    const { codes, policy } = this;
    this.loginEvents = new LoginEvents({ sessionId: id, codes, slot, controls, policy, emit: deps.emit });
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
    return this.slot.engine?.browserProcessId?.();
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
    const engineSession = this.slot.engine;
    if (!this.isConnected || !engineSession) {
      throw new GatewayError('session_not_connected', `session "${this.id}" is ${this.status}, not connected`);
    }
    return engineSession;
  }

  /** The engine session once connected; one that is coming back gets `windowMs` (send-gate.ts). */
  async waitForConnection(windowMs: number): Promise<EngineSession> {
    await this.gate.settled(windowMs);
    return this.connectedEngine();
  }

  start(login: LoginOptions = {}): void {
    this.restarts.reset();
    this.gate.open();
    this.login = login;
    this.hasLoggedIn = false;
    this.launch();
  }

  /** Ends a start that could not happen at all (e.g. a stored login restored without a browser): failed, with the reason. */
  fail(error: GatewayError): void {
    this.policy.fail(error);
  }

  async stop(reason: Extract<DisconnectReason, 'stopped' | 'shutdown'> = 'stopped'): Promise<void> {
    await this.gate.close();
    await this.slot.close();
    this.setStatus('stopped');
    this.deps.emit('session_disconnected', { sessionId: this.id, reason });
  }

  async logout(): Promise<void> {
    await this.gate.close();
    const engineSession = this.slot.detach();
    await engineSession?.logout().catch((error) => this.logger.warn({ err: error }, 'logout failed; deleting the stored login anyway'));
    await engineSession?.stop();
    await this.deps.storage.remove(this.id);
    this.setStatus('stopped');
    this.deps.emit('session_disconnected', { sessionId: this.id, reason: 'logged_out' });
  }

  private launch(): void {
    const generation = this.slot.invalidate();
    this.codes.reset();
    this.failure = undefined;
    this.setStatus('starting');
    const engineSession = this.deps.engine.createSession(this.id, this.listenerFor(generation), this.login);
    this.slot.hold(engineSession);
    this.deps.limiter
      .run(() => this.slot.bringUp(engineSession, generation, this.deps))
      .catch((error: unknown) => this.policy.startFailed(generation, toGatewayError(error)));
  }

  /** Engine events are handled one after another, in the order the engine reported them (event-order.ts). */
  private listenerFor(generation: number): EngineListener {
    const handle = this.events.handlerFor(() => this.slot.isCurrent(generation));
    return {
      onQr: (qr) => handle(() => this.loginEvents.onQr(qr)),
      onPairingCode: (code) => handle(() => this.loginEvents.onPairingCode(code, this.login.pairWithPhoneNumber)),
      onConnected: (account) => handle(() => this.onConnected(account)),
      onDisconnected: (reason) => handle(() => this.policy.engineDisconnected(reason)),
      onMessage: (message) => handle(() => this.onMessage(message)),
      ...forwardedEvents({ sessionId: this.id, emit: this.deps.emit, handle, onCall: (call) => this.deps.onCall?.(this, call) }),
    };
  }

  private onMessage(message: IncomingMessage): Promise<void> {
    return this.incoming.deliver(message, this.slot.engine);
  }

  /** After every connect (a reload's too): what arrived while the session did not run (issue 15). */
  private catchUp(generation: number): Promise<void> {
    const engine = this.slot.engine;
    return engine ? this.incoming.catchUp(engine, () => this.slot.isCurrent(generation)) : Promise.resolve();
  }

  private async onConnected(account: AccountInfo): Promise<void> {
    const same = this.isConnected && this.account?.phoneNumber === account.phoneNumber;
    this.account = account;
    this.slot.signalFirst();
    const generation = this.slot.current;
    if (same) return this.catchUp(generation);
    const storageError = await this.deps.storage.assertCanStore(this.id).then(
      () => undefined,
      (error: unknown) => toGatewayError(error, 'storage_failed'),
    );
    if (!this.slot.isCurrent(generation)) return;
    if (storageError) return this.policy.storageFailed(storageError);
    this.restarts.connected();
    this.hasLoggedIn = true;
    this.codes.clear();
    this.setStatus('connected');
    this.deps.emit('session_connected', { sessionId: this.id, ...account });
    this.deps.onConnected?.(this);
    await this.catchUp(generation);
  }

  private setStatus(status: SessionStatus): void {
    if (this.status === status) return;
    this.status = status;
    if (ENDED.has(status)) this.gate.cancelWaiting(status);
    this.logger.info({ status }, 'session status');
    this.deps.emit('session_status', this.snapshot());
    this.gate.statusChanged();
  }
}
