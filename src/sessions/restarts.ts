/**
 * When a session whose engine went away is launched again: after a delay that doubles with each
 * restart (up to a minute), at most RESTART_MAX_ATTEMPTS times in a row. A connection that lasted a
 * minute proves the restart worked: the next failure starts a fresh count.
 */
const RESTART_MAX_DELAY_MS = 60_000;
const STABLE_CONNECTION_MS = 60_000;

interface RestartLimits {
  restartMaxAttempts: number;
  restartBaseDelayMs: number;
}

export class Restarts {
  private restarts = 0;
  private connectedAt = 0;

  constructor(private readonly limits: RestartLimits) {}

  /** How many restarts in a row so far. */
  get count(): number {
    return this.restarts;
  }

  /** A start asked for (not a restart): counts from 0. */
  reset(): void {
    this.restarts = 0;
  }

  connected(): void {
    this.connectedAt = Date.now();
  }

  /** After a disconnection: false once RESTART_MAX_ATTEMPTS restarts in a row did not bring it back. */
  mayRestart(): boolean {
    if (this.connectedAt && Date.now() - this.connectedAt >= STABLE_CONNECTION_MS) this.restarts = 0;
    return this.restarts < this.limits.restartMaxAttempts;
  }

  /** After a failed start: only a restart is tried again, within RESTART_MAX_ATTEMPTS. */
  mayRetryStart(): boolean {
    return this.restarts > 0 && this.restarts < this.limits.restartMaxAttempts;
  }

  /** Counts the next restart and returns how long to wait before it. */
  next(): number {
    const delay = Math.min(this.limits.restartBaseDelayMs * 2 ** this.restarts, RESTART_MAX_DELAY_MS);
    this.restarts += 1;
    return delay;
  }
}
