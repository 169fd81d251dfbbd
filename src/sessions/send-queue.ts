/**
 * A session's outgoing messages, carried out one at a time in arrival order
 * so a chat never sees them reordered. Bounded: a full queue refuses at once
 * instead of growing without limit. Optional pacing spaces sends out (a
 * burst from a fresh number is what gets accounts banned).
 */
import { GatewayError } from '../protocol/errors';

interface Job {
  run: () => Promise<void>;
  cancel: (error: Error) => void;
}

export interface SendPacing {
  /** Minimum time between the starts of two sends. */
  minIntervalMs: number;
  /** Up to this much random extra time on top of the minimum. */
  jitterMs: number;
}

const NO_PACING: SendPacing = { minIntervalMs: 0, jitterMs: 0 };

/** A request's place in line (SendQueue.takePlace). */
export interface Place {
  /** Resolves once every request that took its place before this one has joined the queue or given up. */
  readonly ready: Promise<void>;
  /** Joined the queue, or gave up: the next request may join. Only the first call counts; every place must be left. */
  leave(): void;
}

/** The place of a request that has no queue to keep an order in (its session is not running). */
export const NO_PLACE: Place = { ready: Promise.resolve(), leave: () => {} };

export class SendQueue {
  private readonly jobs: Job[] = [];
  private draining = false;
  private sending = false;
  private lastStart = 0;
  private idleWaiters: Array<() => void> = [];
  private lastPlace: Promise<void> = Promise.resolve();

  constructor(
    private readonly capacity: number,
    private readonly pacing: SendPacing = NO_PACING,
  ) {}

  /** Messages waiting or being sent. */
  get depth(): number {
    return this.jobs.length + (this.sending ? 1 : 0);
  }

  /** Throws `queue_full` when a new message would not fit. */
  assertRoom(): void {
    if (this.isFull) throw this.fullError();
  }

  /**
   * Taken the moment a request arrives, before the steps it takes before joining (looking its
   * clientMessageId up, opening its media, looking a number up): requests join in the order they
   * arrived, so a message action never overtakes the send that arrived before it.
   */
  takePlace(): Place {
    const ready = this.lastPlace;
    let leave!: () => void;
    const left = new Promise<void>((resolve) => (leave = () => resolve()));
    this.lastPlace = ready.then(() => left);
    return { ready, leave };
  }

  /** Queues `task`; `beyondCapacity` for messages accepted earlier (resumed after a restart), which must not be refused. */
  push<T>(task: () => Promise<T>, { beyondCapacity = false } = {}): Promise<T> {
    if (!beyondCapacity && this.isFull) return Promise.reject(this.fullError());
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ run: () => task().then(resolve, reject), cancel: reject });
      void this.drain();
    });
  }

  private get isFull(): boolean {
    return this.depth >= this.capacity;
  }

  private fullError(): GatewayError {
    return new GatewayError('queue_full', `the send queue holds ${this.capacity} messages; retry later`);
  }

  /** Fails every message still waiting (the one being sent finishes on its own). */
  cancelWaiting(error: Error): void {
    for (const job of this.jobs.splice(0)) job.cancel(error);
  }

  /** Resolves once the queue is empty, or after `timeoutMs`, whichever comes first. */
  whenIdle(timeoutMs: number): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** A job stays in `jobs` (so it can still be cancelled) until its pacing delay is over. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    while (this.jobs.length) {
      await this.pace();
      const job = this.jobs.shift();
      if (!job) break;
      this.sending = true;
      await job.run();
      this.sending = false;
    }
    this.draining = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** The running send is being handed to WhatsApp now: pacing counts from here, not from its start (which may have waited on the store). */
  handingOver(): void {
    this.lastStart = Date.now();
  }

  private async pace(): Promise<void> {
    const { minIntervalMs, jitterMs } = this.pacing;
    const wait = this.lastStart + minIntervalMs + Math.random() * jitterMs - Date.now();
    if (this.lastStart && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastStart = Date.now();
  }
}
