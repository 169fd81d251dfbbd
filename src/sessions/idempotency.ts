/**
 * Remembers sends by `clientMessageId` for a day, so a client that retries
 * after a lost answer gets the first result instead of a second message.
 * Failed sends are forgotten (the client may retry them), except failures
 * `keepFailure` picks: those whose message may have gone out after all.
 */
import { dropOldest } from '../util/bounded-map';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export class IdempotencyCache<T> {
  private readonly entries = new Map<string, { expiresAt: number; result: Promise<T> }>();

  private readonly keepFailure: (error: unknown) => boolean;
  private readonly ttlMs: number;

  constructor(
    private readonly maxEntries: number,
    options: { keepFailure?: (error: unknown) => boolean; ttlMs?: number } = {},
  ) {
    this.keepFailure = options.keepFailure ?? (() => false);
    this.ttlMs = options.ttlMs ?? IDEMPOTENCY_TTL_MS;
  }

  /** The remembered result for `key`, or the result of `run()` (remembered unless it fails). */
  run(key: string, run: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const known = this.entries.get(key);
    if (known && known.expiresAt > now) return known.result;
    const result = run();
    this.remember(key, { expiresAt: now + this.ttlMs, result });
    result.catch((error: unknown) => {
      if (this.entries.get(key)?.result === result && !this.keepFailure(error)) this.entries.delete(key);
    });
    return result;
  }

  private remember(key: string, entry: { expiresAt: number; result: Promise<T> }): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    dropOldest(this.entries, this.maxEntries);
  }
}
