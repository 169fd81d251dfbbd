/**
 * What a session does when its engine gives out: it restarts (restarts.ts counts and times the
 * restarts), or it ends on its own, `failed` or `disconnected` (logged out from the phone, QR
 * timeout), telling its clients why.
 */
import type { EngineDisconnectReason } from '../engines/engine';
import { GatewayError } from '../protocol/errors';
import type { DisconnectReason, SessionStatus } from '../protocol/schemas';
import type { Logger } from '../logger';
import type { EngineSlot } from './engine-slot';
import type { Restarts } from './restarts';
import type { SessionDeps } from './session-deps';

/** The parts of the session's state machine the policy moves. */
export interface SessionControls {
  setStatus(status: SessionStatus): void;
  /** Why it failed, shown while it is failed. */
  setFailure(error: GatewayError): void;
  /** Launches a new engine session. */
  launch(): void;
}

export interface RestartPolicyDeps {
  sessionId: string;
  controls: SessionControls;
  slot: EngineSlot;
  restarts: Restarts;
  logger: Logger;
  session: Pick<SessionDeps, 'emit' | 'storage'>;
}

export class RestartPolicy {
  constructor(private readonly deps: RestartPolicyDeps) {}

  /** Ends a start that could not happen at all (e.g. a stored login restored without a browser): failed, with the reason. */
  fail(error: GatewayError): void {
    const { sessionId, controls, session } = this.deps;
    controls.setFailure(error);
    controls.setStatus('failed');
    session.emit('session_error', { sessionId, event: 'start_session', code: error.code, message: error.message });
  }

  async startFailed(generation: number, error: GatewayError): Promise<void> {
    const { slot, restarts, logger } = this.deps;
    if (!slot.isCurrent(generation)) return;
    logger.error({ code: error.code, err: error.message }, 'session failed to start');
    await slot.close();
    if (restarts.mayRetryStart()) {
      this.scheduleRestart();
      return;
    }
    this.fail(error);
  }

  /** Storage failing after the launch check (the disk filled while pairing): final, no restart. */
  async storageFailed(error: GatewayError): Promise<void> {
    this.deps.logger.error({ code: error.code, err: error.message }, 'session storage failed');
    await this.deps.slot.close();
    this.fail(error);
  }

  async engineDisconnected(reason: EngineDisconnectReason): Promise<void> {
    const { sessionId, controls, slot, restarts, logger, session } = this.deps;
    logger.warn({ reason }, 'engine disconnected');
    if (reason === 'logged_out') {
      // The login is gone before anyone hears so: a client that sees logged_out finds nothing stored.
      await slot.close();
      await session.storage.remove(sessionId);
      await this.endOnItsOwn('logged_out', 'disconnected');
      return;
    }
    if (!restarts.mayRestart()) {
      controls.setFailure(new GatewayError('engine_error', `${reason}, and ${restarts.count} restarts did not bring it back`));
      await this.endOnItsOwn(reason, 'failed');
      return;
    }
    await slot.close();
    session.emit('session_disconnected', { sessionId, reason });
    this.scheduleRestart();
  }

  async endOnItsOwn(reason: DisconnectReason, status: 'disconnected' | 'failed'): Promise<void> {
    const { sessionId, controls, slot, session } = this.deps;
    await slot.close();
    controls.setStatus(status);
    session.emit('session_disconnected', { sessionId, reason });
  }

  private scheduleRestart(): void {
    const { controls, slot, restarts, logger } = this.deps;
    const delay = restarts.next();
    controls.setStatus('reconnecting');
    logger.info({ attempt: restarts.count, delayMs: delay }, 'restarting session');
    slot.launchAfter(delay, () => controls.launch());
  }
}
