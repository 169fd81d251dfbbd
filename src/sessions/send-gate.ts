/**
 * Between a session's sends and its status: a send waits while the session comes back (reconnecting,
 * or launching again after a restart) and gives up once it is stopping or ended. A stop cancels the
 * sends still waiting and lets the one WhatsApp is carrying out finish, so it is not cut off mid-send.
 */
import { GatewayError } from '../protocol/errors';
import type { SessionStatus } from '../protocol/schemas';
import type { SendQueue } from './send-queue';
import { StatusWaiters } from './status-waiters';

/** A send WhatsApp is carrying out when the session is stopped gets this long to finish before the browser closes. */
const IN_FLIGHT_SEND_MS = 10_000;

export interface GateView {
  status: () => SessionStatus;
  /** Restarted at least once since start(): a `starting` session is coming back. */
  restarted: () => boolean;
}

export class SendGate {
  /** Set by stop and logout: a send waiting for the connection gives up at once. */
  private stopping = false;
  private readonly statusWaiters = new StatusWaiters();

  constructor(
    private readonly sessionId: string,
    private readonly queue: SendQueue,
    private readonly view: GateView,
  ) {}

  /** start(): sends wait for the connection again. */
  open(): void {
    this.stopping = false;
  }

  /**
   * Returns once the session is no longer coming back. A session that is reconnecting gets
   * `windowMs` to come back (then `browser_closed`); one that was stopped or logged out answers
   * `session_stopped`.
   */
  async settled(windowMs: number): Promise<void> {
    const { status, restarted } = this.view;
    const deadline = Date.now() + windowMs;
    while (!this.stopping && (status() === 'reconnecting' || (status() === 'starting' && restarted()))) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new GatewayError(
          'browser_closed',
          `session "${this.sessionId}" lost its browser and did not come back within ${windowMs} ms`,
        );
      await this.statusWaiters.next(left);
    }
    const now = status();
    if (this.stopping || now === 'stopped' || now === 'disconnected' || now === 'failed') {
      throw this.stoppedError(this.stopping ? 'stopping' : now);
    }
  }

  /** Stop and logout: cancels the sends still waiting and lets the one WhatsApp is carrying out finish. */
  async close(): Promise<void> {
    this.stopping = true;
    this.statusWaiters.wakeAll();
    this.queue.cancelWaiting(this.stoppedError('stopping'));
    await this.queue.whenIdle(IN_FLIGHT_SEND_MS);
  }

  /** The session ended on its own: its waiting sends are cancelled. */
  cancelWaiting(status: SessionStatus): void {
    this.queue.cancelWaiting(this.stoppedError(status));
  }

  /** The status changed: the sends waiting for it look again. */
  statusChanged(): void {
    this.statusWaiters.wakeAll();
  }

  private stoppedError(status: string): GatewayError {
    return new GatewayError('session_stopped', `session "${this.sessionId}" is ${status}; the message was not sent`);
  }
}
