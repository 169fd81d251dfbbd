/**
 * The sandbox's acks of sent messages: server, device and read, 50, 100 and 150 ms after the send.
 * One timer per session, set for the earliest due ack, reports every ack due when it fires; three
 * timers per message cost the gateway a fifth of its time under load (docs/performance.md).
 */
import type { AckStatus } from '../../protocol/schemas';

export const ACK_STEP_MS = 50;

const STEPS = ['server', 'device', 'read'] as const satisfies readonly AckStatus[];

interface DueAck {
  messageId: string;
  /** performance.now() when it is due: monotonic, unlike Date.now(), which a clock change moves. */
  dueAt: number;
  /** Breaks ties between steps due in the same millisecond: the one scheduled first goes first. */
  order: number;
}

interface StepQueue {
  ack: AckStatus;
  /** In due order, since every ack of a step has the same delay. */
  due: DueAck[];
}

export class SandboxAcks {
  private readonly queues: StepQueue[] = STEPS.map((ack) => ({ ack, due: [] }));
  private timer: NodeJS.Timeout | undefined;
  private scheduled = 0;
  private stopped = false;

  constructor(private readonly report: (messageId: string, ack: AckStatus) => void) {}

  /** Reports server, device and read for the message, in that order, unless stop() comes first. */
  schedule(messageId: string): void {
    if (this.stopped) return;
    const now = performance.now();
    this.queues.forEach((queue, step) => {
      this.scheduled += 1;
      queue.due.push({ messageId, dueAt: now + ACK_STEP_MS * (step + 1), order: this.scheduled });
    });
    this.timer ??= setTimeout(() => this.fire(), ACK_STEP_MS);
  }

  /** No ack is reported after this. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const queue of this.queues) queue.due.length = 0;
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    for (let next = this.next(); next && next.head.dueAt <= now; next = this.next()) {
      next.queue.due.shift();
      this.report(next.head.messageId, next.queue.ack);
    }
    // A report may have sent (a timer set) or stopped (queues emptied): the next timer follows the queues.
    clearTimeout(this.timer);
    const next = this.next();
    this.timer = next && setTimeout(() => this.fire(), Math.max(1, next.head.dueAt - now));
  }

  /** The queue whose first ack is due soonest, and that ack; undefined when none is pending. */
  private next(): { queue: StepQueue; head: DueAck } | undefined {
    let next: { queue: StepQueue; head: DueAck } | undefined;
    for (const queue of this.queues) {
      const head = queue.due[0];
      if (head && (!next || head.dueAt < next.head.dueAt || (head.dueAt === next.head.dueAt && head.order < next.head.order))) {
        next = { queue, head };
      }
    }
    return next;
  }
}
