/**
 * A session's outgoing messages, carried out one at a time in arrival order
 * so a chat never sees them reordered. Bounded: a full queue refuses at once
 * instead of growing without limit.
 */
import { GatewayError } from '../protocol/errors';

type Job = () => Promise<void>;

export class SendQueue {
  private readonly jobs: Job[] = [];
  private running = false;

  constructor(private readonly capacity: number) {}

  /** Messages waiting or being sent. */
  get depth(): number {
    return this.jobs.length + (this.running ? 1 : 0);
  }

  push<T>(task: () => Promise<T>): Promise<T> {
    if (this.depth >= this.capacity) {
      return Promise.reject(new GatewayError('queue_full', `the send queue holds ${this.capacity} messages; retry later`));
    }
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => task().then(resolve, reject));
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (let job = this.jobs.shift(); job; job = this.jobs.shift()) await job();
    this.running = false;
  }
}
