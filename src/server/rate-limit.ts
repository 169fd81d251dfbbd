/**
 * Events per second as token buckets (`perSecond` refill, `burst` capacity),
 * held per connection, per API key (all its connections together) and per
 * client address (all its connections and keys together), so neither more
 * connections nor reconnecting buys more events. An event goes through only
 * when each of its buckets has a token; a handshake costs one token of its
 * address. A connection with more than `strikes` refused events within
 * STRIKE_WINDOW_MS is closed, and its address then owes a full burst, so a
 * flooder cannot simply reconnect at once and flood again.
 */
import { TokenBucket } from '../util/token-bucket';

interface Rate {
  perSecond: number;
  burst: number;
}

export interface RateLimitOptions {
  connection: Rate;
  key: Rate;
  address: Rate;
  strikes: number;
}

export const STRIKE_WINDOW_MS = 10_000;
/** Buckets that have refilled completely are forgotten this often. */
const SWEEP_EVERY_MS = 60_000;

export type RateLimitScope = 'connection' | 'key' | 'address';
type RateVerdict = { verdict: 'allow' } | { verdict: 'refuse'; scope: RateLimitScope } | { verdict: 'disconnect' };

export class RateLimits {
  private readonly keys: BucketPool;
  private readonly addresses: BucketPool;

  constructor(private readonly options: RateLimitOptions) {
    this.keys = new BucketPool(options.key);
    this.addresses = new BucketPool(options.address);
  }

  /** A handshake from `address` costs one of its tokens; false when it has none. */
  admitHandshake(address: string, now = Date.now()): boolean {
    return this.addresses.get(address, now).tryTake(now);
  }

  /** A connection from `address` was closed for flooding: its next handshake waits for the bucket to refill from −burst. */
  penalize(address: string, now = Date.now()): void {
    this.addresses.get(address, now).drain(now);
  }

  /** The limiter of one connection; `keyId` undefined when the gateway has no keys. */
  forConnection(keyId: string | undefined, address: string, now = Date.now()): ConnectionRateLimiter {
    const own = new TokenBucket(this.options.connection.perSecond, this.options.connection.burst, now);
    const buckets = (at: number) => {
      const list: Array<[RateLimitScope, TokenBucket]> = [['connection', own]];
      if (keyId !== undefined) list.push(['key', this.keys.get(keyId, at)]);
      list.push(['address', this.addresses.get(address, at)]);
      return list;
    };
    return new ConnectionRateLimiter(buckets, this.options.strikes);
  }
}

class ConnectionRateLimiter {
  private refused = 0;
  private windowStartedAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** Looked up on every event: a shared bucket forgotten while full is recreated, still shared. */
    private readonly buckets: (now: number) => Array<[RateLimitScope, TokenBucket]>,
    private readonly strikes: number,
  ) {}

  take(now = Date.now()): RateVerdict {
    const buckets = this.buckets(now);
    const empty = buckets.find(([, bucket]) => bucket.available(now) < 1);
    if (!empty) {
      for (const [, bucket] of buckets) bucket.take(now);
      return { verdict: 'allow' };
    }
    if (now - this.windowStartedAt >= STRIKE_WINDOW_MS) {
      this.windowStartedAt = now;
      this.refused = 0;
    }
    this.refused += 1;
    return this.refused > this.strikes ? { verdict: 'disconnect' } : { verdict: 'refuse', scope: empty[0] };
  }
}

class BucketPool {
  private readonly buckets = new Map<string, TokenBucket>();
  private sweptAt = Date.now();

  constructor(private readonly rate: Rate) {}

  get(id: string, now: number): TokenBucket {
    if (now - this.sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket(this.rate.perSecond, this.rate.burst, now);
      this.buckets.set(id, bucket);
    }
    return bucket;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [id, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(id);
  }
}
