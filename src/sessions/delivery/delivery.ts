/**
 * Carries accepted sends out of the outbox through their session's queue, and records every step in
 * the store before it matters: `sending` before the message is handed to WhatsApp, its outcome
 * right after. Each outcome is published as the session's message_sent or send_error (so it is in
 * the event log for clients that were away), and handed to whoever waits for it: the request that
 * sent it, and any retry with the same clientMessageId.
 */
import type { Messaging, OutgoingMessage } from '../../engines/capabilities/messaging';
import type { Logger } from '../../logger';
import { toChatId } from '../../protocol/chat-id';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import type { OutboxEntry, SentReceipt, Store } from '../../storage/store';
import type { Journal } from '../journal';
import { chatLanes } from '../lanes';
import type { Session } from '../session';
import { registeredChatId } from '../requests/addresses';
import { engineCall } from '../requests/engine-call';
import { expired, interrupted, lostAtShutdown, messageSent, pending, sendError, type Outcome } from './outcome';
import { probeTextOf, release, toOutgoing, type OutgoingPolicy } from './outgoing';

export interface DeliveryPolicy extends OutgoingPolicy {
  /** Show "typing…" this long before a text goes out (0 = off). */
  typingMs: number;
  /** How long a queued message waits for a session whose browser is restarting. */
  retryWindowMs: number;
  /** OUTBOX_MAX_AGE_MS: a message that waited longer is failed `send_expired` instead of sent late. */
  maxAgeMs: number;
}

interface DeliveryDeps {
  store: Store;
  journal: Journal;
  logger: Logger;
  policy: DeliveryPolicy;
}

export class Delivery {
  /** Outcomes of the entries queued in this process, by outbox id. */
  private readonly running = new Map<number, Promise<Outcome>>();
  private shuttingDown = false;

  constructor(private readonly deps: DeliveryDeps) {}

  /**
   * Queues an entry on its session, in the lane of its chat (`added` resolves once the outbox holds it).
   * The outcome is recorded and published; it rejects only when the outbox could not take the entry at all.
   */
  enqueue(
    session: Session,
    to: string,
    added: Promise<OutboxEntry>,
    message?: OutgoingMessage,
    { resumed = false } = {},
  ): Promise<Outcome> {
    const attempt = session.queue.push(async () => this.attempt(session, await added, message), {
      lanes: chatLanes(to),
      beyondCapacity: resumed,
    });
    const outcome = attempt.catch((error: unknown) => this.notAttempted(added, error, message));
    // Whoever waits for the outcome handles its failure; this only keeps an unwatched one from being unhandled.
    outcome.catch(() => undefined);
    void added.then(
      (entry) => {
        this.running.set(entry.id, outcome);
        void outcome.finally(() => this.running.delete(entry.id)).catch(() => undefined);
      },
      () => undefined,
    );
    return outcome;
  }

  /** The outcome of an entry queued in this process, once it has one. */
  outcomeOf(id: number): Promise<Outcome> | undefined {
    return this.running.get(id);
  }

  /** From now on, what has not been handed to WhatsApp stays in the outbox for after the restart. */
  shutDown(): void {
    this.shuttingDown = true;
  }

  /** Records and publishes a final outcome for an entry that will not be attempted (expired, say). */
  end(entry: OutboxEntry, state: 'failed' | 'unknown', error: GatewayError): Promise<Outcome> {
    return this.ended(entry, state, error);
  }

  private async attempt(session: Session, entry: OutboxEntry, message?: OutgoingMessage): Promise<Outcome> {
    let outgoing = message;
    try {
      if (entry.state === 'sending') return await this.confirm(session, entry);
      if (Date.now() - entry.createdAt > this.deps.policy.maxAgeMs)
        return await this.ended(entry, 'failed', expired(this.deps.policy.maxAgeMs));
      const { messaging, contacts } = await session.waitForConnection(this.deps.policy.retryWindowMs);
      const ready = (outgoing ??= await toOutgoing(entry.request, this.deps.policy));
      const target = await registeredChatId(session, contacts, toChatId(entry.request.to));
      if (ready.type === 'text' && this.deps.policy.typingMs > 0) await simulateTyping(messaging, target, this.deps.policy.typingMs);
      await this.record('sending', () => this.deps.store.outbox.markSending(entry.id, target, Date.now()));
      session.queue.handingOver();
      const sent = await engineCall(() => messaging.sendMessage(target, ready)).catch((error: unknown) => {
        throw new HandedOver(toGatewayError(error));
      });
      return await this.sent(entry, { messageId: sent.id, chatId: sent.chatId ?? target, sentAt: sent.timestamp });
    } catch (error) {
      if (error instanceof HandedOver)
        return this.ended(entry, error.cause.code === 'send_unconfirmed' ? 'unknown' : 'failed', error.cause);
      return this.beforeHandOver(entry, toGatewayError(error));
    } finally {
      if (outgoing) release(outgoing);
    }
  }

  /** A send that was under way when the gateway died: found in the chat, or unknown; never sent again. */
  private async confirm(session: Session, entry: OutboxEntry): Promise<Outcome> {
    const { messaging } = await session.waitForConnection(this.deps.policy.retryWindowMs);
    const chatId = entry.chatId ?? toChatId(entry.request.to);
    const probe = { type: entry.request.type, text: probeTextOf(entry.request), since: entry.startedAt ?? entry.createdAt };
    const found = await messaging.findSent?.(chatId, probe).catch((error: unknown) => {
      this.deps.logger.warn({ sessionId: entry.sessionId, err: error }, 'could not look for an interrupted send in its chat');
      return undefined;
    });
    if (found) return this.sent(entry, { messageId: found.id, chatId: found.chatId ?? chatId, sentAt: found.timestamp });
    return this.ended(entry, 'unknown', interrupted());
  }

  /** Failed before WhatsApp saw it: at shutdown it waits for the restart (when the store keeps it); an interrupted one stays unknown. */
  private beforeHandOver(entry: OutboxEntry, error: GatewayError): Promise<Outcome> {
    if (this.shuttingDown && this.deps.store.kind !== 'memory') return Promise.resolve(pending());
    if (entry.state === 'sending') return this.ended(entry, 'unknown', interrupted());
    return this.ended(entry, 'failed', this.shuttingDown ? lostAtShutdown() : error);
  }

  /** Cancelled in the queue (the session stopped) or never stored. */
  private async notAttempted(added: Promise<OutboxEntry>, error: unknown, message?: OutgoingMessage): Promise<Outcome> {
    if (message) release(message);
    const entry = await added.catch((cause: unknown) => {
      throw toGatewayError(cause, 'storage_failed');
    });
    return this.beforeHandOver(entry, toGatewayError(error));
  }

  private async sent(entry: OutboxEntry, receipt: SentReceipt): Promise<Outcome> {
    // Both writes start before either is awaited, so that they commit together.
    const recorded = this.record('sent', () => this.deps.store.outbox.markSent(entry.id, receipt, Date.now())).catch(() => undefined);
    const event = this.deps.journal.publish(entry.sessionId, 'message_sent', messageSent(entry.request, receipt));
    await recorded;
    return { state: 'sent', event: await event };
  }

  private async ended(entry: OutboxEntry, state: 'failed' | 'unknown', error: GatewayError): Promise<Outcome> {
    const recorded = { code: error.code, message: error.message };
    const written = this.record(state, () => this.deps.store.outbox.markEnded(entry.id, state, recorded, Date.now())).catch(
      () => undefined,
    );
    const event = this.deps.journal.publish(entry.sessionId, 'send_error', sendError(entry.request, error));
    await written;
    return { state, event: await event };
  }

  /** A write that must land before the next step; `storage_failed` otherwise (logged). */
  private async record(step: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.deps.logger.error({ step, err: error }, 'could not record a send in the outbox');
      throw new GatewayError('storage_failed', `could not record the send in the outbox (${toGatewayError(error).message})`);
    }
  }
}

/** An engine failure after the message was handed over: it decides between failed and unknown, not the gateway. */
class HandedOver extends Error {
  constructor(override readonly cause: GatewayError) {
    super(cause.message);
  }
}

/** A side step: its failure must not fail the send. */
async function simulateTyping(messaging: Messaging, chatId: string, ms: number): Promise<void> {
  await messaging.setTyping(chatId, 'typing').catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await messaging.setTyping(chatId, 'paused').catch(() => undefined);
}
