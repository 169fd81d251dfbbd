/**
 * A token bucket: holds at most `burst` tokens and gains `perSecond` of them
 * every second. Used by the gateway's rate limits and by the client's pacing.
 * Every method takes the current time, so tests can drive the clock.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.refilledAt = now;
  }

  /** Whole tokens available now. */
  available(now = Date.now()): number {
    this.refill(now);
    return Math.floor(this.tokens);
  }

  /** Takes one token; callers check `available` first when several buckets must agree. */
  take(now = Date.now()): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Takes one token if there is one. */
  tryTake(now = Date.now()): boolean {
    if (this.available(now) < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Owes a full burst: the next token comes only after the bucket has refilled from −burst. */
  drain(now = Date.now()): void {
    this.refill(now);
    this.tokens = -this.burst;
  }

  /** Milliseconds until a token is available (0 when one is). */
  msUntilToken(now = Date.now()): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** Refilled to the brim: nothing left to remember about it. */
  isFull(now = Date.now()): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    const elapsedMs = Math.max(0, now - this.refilledAt); // a clock stepped back refills nothing
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.perSecond);
    this.refilledAt = Math.max(now, this.refilledAt);
  }
}
