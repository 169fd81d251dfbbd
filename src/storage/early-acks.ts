/**
 * Acks of messages the outbox does not have as sent yet: WhatsApp can ack a message before the send
 * returns its id. Kept in memory until `markSent` records that id (a crash loses them; the acks are
 * in the event log all the same). Acks of messages not sent through the gateway (from the phone)
 * never find their entry: only the latest few are kept.
 */
import type { AckStatus } from '../protocol/schemas';
import { dropOldest } from '../util/bounded-map';

const EARLY_ACKS_MAX = 1000;

export class EarlyAcks {
  private readonly acks = new Map<string, AckStatus>();

  keep(sessionId: string, messageId: string, ack: AckStatus): void {
    this.acks.set(key(sessionId, messageId), ack);
    dropOldest(this.acks, EARLY_ACKS_MAX);
  }

  /** The ack kept for the message, handed over once. */
  take(sessionId: string, messageId: string): AckStatus | undefined {
    const ack = this.acks.get(key(sessionId, messageId));
    this.acks.delete(key(sessionId, messageId));
    return ack;
  }
}

const key = (sessionId: string, messageId: string) => `${sessionId}\u0000${messageId}`;
