/**
 * Catch-up after downtime (issue 15). WhatsApp Web puts the messages that arrived while no browser ran
 * for the account into its chats on connect, without an event whatsapp-web.js passes on (wwebjs #3219,
 * #589; double/README.md). After every connect the session asks its engine for the messages from others
 * since its watermark (the WhatsApp time of the newest message delivered, in the store), within
 * BACKFILL_WINDOW_MS and at most BACKFILL_MAX_MESSAGES, and delivers those not delivered before as
 * message_received with `backfilled: true`. Each incoming message, live or backfilled, is recorded by id
 * in the store as it goes out, so a message is delivered once across restarts and when a live event and
 * the catch-up both find it. Decisions: docs/decisions.md, "Catch-up after downtime".
 */
import type { CatchUpReader } from '../engines/capabilities/catch-up';
import type { Logger } from '../logger';
import type { IncomingMessage } from '../protocol/schemas';
import type { Store } from '../storage/store';
import { withTimeout } from '../util/time-limit';

/** The catch-up looks this far before the watermark too: WhatsApp times are the senders' and whole seconds. */
const CATCH_UP_OVERLAP_MS = 10 * 60_000;
/** Reading the chats after a connect gets this long; the session's later events wait for it. */
const CATCH_UP_TIMEOUT_MS = 60_000;

interface CatchUpPolicy {
  /** BACKFILL_WINDOW_MS: nothing older is backfilled. */
  windowMs: number;
  /** BACKFILL_MAX_MESSAGES: at most this many per connect, the newest (0: no catch-up). */
  maxMessages: number;
}

export class CatchUp {
  /** Per session, the store's watermark when this process first read it (undefined: none yet). */
  private readonly storedWatermarks = new Map<string, Promise<number | undefined>>();
  /** Per session, the newest WhatsApp time this process recorded. */
  private readonly recordedUpTo = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly policy: CatchUpPolicy,
    private readonly logger: Logger,
  ) {}

  /** How long a delivered id must be remembered: past it, no catch-up looks that far back. */
  get retentionMs(): number {
    return this.policy.windowMs + CATCH_UP_OVERLAP_MS;
  }

  /**
   * False when the message was delivered before. One newer than anything ever recorded for the session is
   * new without asking the store (the usual live message). A store that cannot answer counts as "new": a
   * duplicate rather than a loss.
   */
  async isNew(sessionId: string, { id: messageId, timestamp }: IncomingMessage): Promise<boolean> {
    try {
      if (timestamp > ((await this.newestRecorded(sessionId)) ?? -Infinity)) return true;
      return !(await this.store.delivered.known(sessionId, [messageId])).has(messageId);
    } catch (error) {
      this.logger.error({ sessionId, messageId, err: error }, 'could not check whether an incoming message was delivered before');
      return true;
    }
  }

  /** At or above every WhatsApp time recorded for the session, by any process; undefined when none was. */
  private async newestRecorded(sessionId: string): Promise<number | undefined> {
    let stored = this.storedWatermarks.get(sessionId);
    if (!stored) {
      stored = this.store.delivered.watermark(sessionId);
      this.storedWatermarks.set(sessionId, stored);
      stored.catch(() => this.storedWatermarks.delete(sessionId)); // asked again next time
    }
    const [fromStore, here] = [await stored, this.recordedUpTo.get(sessionId)];
    if (fromStore === undefined) return here;
    return here === undefined ? fromStore : Math.max(fromStore, here);
  }

  /** Call in the same turn as the message's publication, so both are committed together. */
  record(sessionId: string, message: IncomingMessage): void {
    this.recordedUpTo.set(sessionId, Math.max(this.recordedUpTo.get(sessionId) ?? -Infinity, message.timestamp));
    this.store.delivered.record(sessionId, message.id, message.timestamp, Date.now()).catch((error: unknown) => {
      this.logger.error({ sessionId, messageId: message.id, err: error }, 'could not record an incoming message as delivered');
    });
  }

  /**
   * The messages to backfill after a connect, oldest first. The first connect of a session sets its
   * watermark and backfills nothing: a new login's history is not something the bot missed.
   */
  async missed(sessionId: string, reader: CatchUpReader | undefined): Promise<IncomingMessage[]> {
    if (!reader || this.policy.maxMessages === 0) return [];
    try {
      const now = Date.now();
      const watermark = await this.store.delivered.watermark(sessionId);
      if (watermark === undefined) {
        await this.store.delivered.advance(sessionId, now);
        return [];
      }
      const since = Math.max(now - this.policy.windowMs, watermark - CATCH_UP_OVERLAP_MS);
      const limit = this.policy.maxMessages;
      const found = await withTimeout(reader.recentIncoming({ since, limit }), CATCH_UP_TIMEOUT_MS, () => new Error('timed out'));
      if (found.length >= limit)
        this.logger.warn({ sessionId, limit, since }, 'catch-up found BACKFILL_MAX_MESSAGES: older ones may be left out');
      const known = await this.store.delivered.known(
        sessionId,
        found.map((message) => message.id),
      );
      return found.filter((message) => !message.fromMe && !known.has(message.id));
    } catch (error) {
      this.logger.warn({ sessionId, err: error }, 'catch-up could not read the chats; the next connect tries again');
      return [];
    }
  }
}
