/**
 * Failed authentications per client address, on the socket and on /metrics.
 * Each failure is logged at warn with the address and why (never the key).
 * An address with AUTH_FAILURES_MAX failures within a minute is blocked for
 * AUTH_BLOCK_MS: its handshakes are refused before any key is looked at, and
 * only the start of the block is logged, so a guesser cannot flood the logs.
 */
import type { Logger } from '../logger';

interface AuthFailureOptions {
  maxFailures: number;
  blockMs: number;
}

/** Failures are counted in windows of this length. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;
/** Past this many remembered addresses, expired ones are forgotten on the next failure. */
const SWEEP_ABOVE = 10_000;

interface AddressRecord {
  failures: number;
  windowStartedAt: number;
  blockedUntil: number;
}

export class AuthFailures {
  private readonly byAddress = new Map<string, AddressRecord>();

  constructor(
    private readonly options: AuthFailureOptions,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  isBlocked(address: string): boolean {
    return (this.byAddress.get(address)?.blockedUntil ?? 0) > this.now();
  }

  /** Counts a failure; `details` (where, why) go to the log line. */
  record(address: string, details: { via: string; reason: string }): void {
    const now = this.now();
    if (this.byAddress.size > SWEEP_ABOVE) this.sweep(now);
    let record = this.byAddress.get(address);
    if (!record || now - record.windowStartedAt >= AUTH_FAILURE_WINDOW_MS) {
      record = { failures: 0, windowStartedAt: now, blockedUntil: record?.blockedUntil ?? 0 };
      this.byAddress.set(address, record);
    }
    if (record.blockedUntil > now) return;
    record.failures += 1;
    this.logger.warn({ address, ...details, failures: record.failures }, 'refused authentication');
    if (record.failures >= this.options.maxFailures) {
      record.blockedUntil = now + this.options.blockMs;
      this.logger.warn(
        { address, failures: record.failures, blockedForMs: this.options.blockMs },
        'blocking an address after repeated failed authentications',
      );
    }
  }

  private sweep(now: number): void {
    for (const [address, record] of this.byAddress) {
      if (record.blockedUntil <= now && now - record.windowStartedAt >= AUTH_FAILURE_WINDOW_MS) this.byAddress.delete(address);
    }
  }
}
