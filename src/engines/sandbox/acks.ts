/**
 * The sandbox's acks of sent messages: server, device and read, 50, 100 and 150 ms after the send.
 * One timer per session, set for the earliest due ack, reports every ack due when it fires; three
 * timers per message cost the gateway a fifth of its time under load (docs/performance.md).
 */
import type { AckStatus } from '../../protocol/schemas';

const ACK_STEP_MS = 50;

const STEPS = ['server', 'device', 'read'] as const satisfies readonly AckStatus[];

interface Sent {
  messageId: string;
  /** performance.now() at the send: monotonic, unlike Date.now(), which a clock change moves. */
  sentAt: number;
}

/** Sent messages whose read ack is pending are dropped from the front once this many are behind. */
const COMPACT_AFTER = 1024;

export class SandboxAcks {
  /** In send order; each step's next ack is that of `sent[cursors[step]]` (read ≤ device ≤ server). */
  private sent: Sent[] = [];
  private readonly cursors = STEPS.map(() => 0);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly report: (messageId: string, ack: AckStatus) => void) {}

  /** Reports server, device and read for the message, in that order, unless stop() comes first. */
  schedule(messageId: string): void {
    if (this.stopped) return;
    this.sent.push({ messageId, sentAt: performance.now() });
    this.timer ??= setTimeout(() => this.fire(), ACK_STEP_MS);
  }

  /** No ack is reported after this. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sent = [];
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (let step = this.nextStep(); step !== undefined && this.dueAt(step) <= now; step = this.nextStep()) {
      const { messageId } = this.sent[this.cursors[step]!]!;
      this.cursors[step]! += 1;
      this.report(messageId, STEPS[step]!);
    }
    this.dropAcked();
    // A report may have sent (a timer set) or stopped (nothing pending): the next timer follows what is pending.
    clearTimeout(this.timer);
    const step = this.nextStep();
    this.timer = step === undefined ? undefined : setTimeout(() => this.fire(), Math.max(1, this.dueAt(step) - now));
  }

  /**
   * The step whose next ack is due soonest; undefined when none is pending. Read is looked at first:
   * of acks due together, the one of the earliest message goes first, as it was scheduled first.
   */
  private nextStep(): number | undefined {
    let next: number | undefined;
    for (let step = STEPS.length - 1; step >= 0; step -= 1) {
      if (this.cursors[step]! < this.sent.length && (next === undefined || this.dueAt(step) < this.dueAt(next))) next = step;
    }
    return next;
  }

  private dueAt(step: number): number {
    return this.sent[this.cursors[step]!]!.sentAt + ACK_STEP_MS * (step + 1);
  }

  private dropAcked(): void {
    const read = this.cursors[STEPS.length - 1]!;
    if (read < COMPACT_AFTER && read < this.sent.length) return;
    this.sent.splice(0, read);
    this.cursors.forEach((cursor, step) => (this.cursors[step] = cursor - read));
  }
}
