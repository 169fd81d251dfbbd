/**
 * After a restart (clean or not), the outbox's unfinished entries wait here for their session to
 * connect; then they are queued, oldest first, ahead of anything new: queued ones are sent, one that
 * was `sending` when the process died is confirmed from its chat or reported unknown. An entry whose
 * session does not connect within OUTBOX_MAX_AGE_MS is failed `send_expired` (or, if it was under way,
 * reported `send_interrupted`), and clients hear it as send_error.
 */
import type { Logger } from '../../logger';
import type { OutboxEntry, Store } from '../../storage/store';
import type { Session } from '../session';
import type { Delivery } from './delivery';
import { expired, interrupted, type Outcome } from './outcome';

interface Waiting {
  entry: OutboxEntry;
  settle: (outcome: Promise<Outcome>) => void;
}

export class Recovery {
  /** By session, in the order the entries were accepted. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Every recovered entry's outcome, by outbox id, until it has one. */
  private readonly outcomes = new Map<number, Promise<Outcome>>();

  constructor(
    private readonly store: Store,
    private readonly delivery: Delivery,
    private readonly logger: Logger,
    private readonly maxAgeMs: number,
  ) {}

  /** Takes in what the outbox still holds unfinished; call once, before any session starts. */
  async load(): Promise<void> {
    const entries = await this.store.outbox.unfinished();
    for (const entry of entries) {
      let settle!: (outcome: Promise<Outcome>) => void;
      const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
      this.outcomes.set(entry.id, outcome);
      void outcome.finally(() => this.outcomes.delete(entry.id)).catch(() => undefined);
      this.waiting.set(entry.sessionId, [...(this.waiting.get(entry.sessionId) ?? []), { entry, settle }]);
    }
    if (entries.length) {
      const sessions = [...this.waiting.keys()];
      this.logger.info({ messages: entries.length, sessions }, 'the outbox holds unfinished sends from before the restart');
    }
  }

  /** The outcome of an entry still waiting for its session (or queued by `resume`). */
  outcomeOf(id: number): Promise<Outcome> | undefined {
    return this.outcomes.get(id);
  }

  /** The session is connected: its waiting entries join its queue, oldest first. Synchronous, so they come before new sends. */
  resume(session: Session): void {
    const list = this.waiting.get(session.id);
    if (!list) return;
    this.waiting.delete(session.id);
    this.logger.info({ sessionId: session.id, messages: list.length }, 'resuming sends from before the restart');
    for (const { entry, settle } of list)
      settle(this.delivery.enqueue(session, entry.request.to, Promise.resolve(entry), undefined, { resumed: true }));
  }

  /** Ends the entries that waited longer than OUTBOX_MAX_AGE_MS for their session. */
  async expire(now: number): Promise<void> {
    for (const [sessionId, list] of this.waiting) {
      const old = list.filter(({ entry }) => now - entry.createdAt > this.maxAgeMs);
      if (!old.length) continue;
      const rest = list.filter((waiting) => !old.includes(waiting));
      if (rest.length) this.waiting.set(sessionId, rest);
      else this.waiting.delete(sessionId);
      for (const { entry, settle } of old) {
        const ended =
          entry.state === 'sending'
            ? this.delivery.end(entry, 'unknown', interrupted())
            : this.delivery.end(entry, 'failed', expired(this.maxAgeMs));
        settle(ended);
        await ended;
      }
    }
  }
}
