/**
 * Events per second per connection, as a token bucket: `perSecond` refill,
 * `burst` capacity. A connection that keeps going after `strikes` refused
 * events in a row is closed.
 */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  strikes: number;
}

export type RateVerdict = 'allow' | 'refuse' | 'disconnect';

export class RateLimiter {
  private tokens: number;
  private refilledAt = Date.now();
  private refusedInARow = 0;

  constructor(private readonly options: RateLimitOptions) {
    this.tokens = options.burst;
  }

  take(): RateVerdict {
    const now = Date.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.options.perSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return 'allow';
    }
    this.refusedInARow += 1;
    return this.refusedInARow > this.options.strikes ? 'disconnect' : 'refuse';
  }
}
