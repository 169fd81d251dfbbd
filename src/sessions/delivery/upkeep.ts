/**
 * What keeps the store from growing and the outbox from holding messages forever: on a timer, sends
 * that waited too long for their session are ended (and reported), receipts older than a day or
 * beyond SEND_IDEMPOTENCY_MAX are forgotten, and events past the log's retention are dropped (and
 * the ids of delivered incoming messages once no catch-up looks that far back).
 */
import type { Logger } from '../../logger';
import type { Store } from '../../storage/store';
import type { Recovery } from './recovery';

/** How long a finished send is kept as a receipt for its clientMessageId. */
const RECEIPT_TTL_MS = 24 * 60 * 60_000;

interface UpkeepPolicy {
  /** OUTBOX_MAX_AGE_MS; the upkeep runs often enough to end a send soon after it. */
  outboxMaxAgeMs: number;
  receiptsMax: number;
  eventsRetentionMs: number;
  eventsMaxPerSession: number;
  /** Catch-up (issue 15): how long the ids of delivered incoming messages are kept. */
  deliveredRetentionMs: number;
}

/** Runs once now and then on a timer; returns the stop function. */
export function startUpkeep(store: Store, recovery: Recovery, policy: UpkeepPolicy, logger: Logger): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    const now = Date.now();
    try {
      await recovery.expire(now);
      await store.outbox.prune(now - RECEIPT_TTL_MS, policy.receiptsMax);
      await store.events.prune(now - policy.eventsRetentionMs, policy.eventsMaxPerSession);
      await store.delivered.prune(now - policy.deliveredRetentionMs);
    } catch (error) {
      logger.error({ err: error }, 'store upkeep failed; it runs again on its next turn');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), upkeepInterval(policy.outboxMaxAgeMs));
  timer.unref();
  return () => clearInterval(timer);
}

function upkeepInterval(outboxMaxAgeMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.floor(outboxMaxAgeMs / 4)));
}
