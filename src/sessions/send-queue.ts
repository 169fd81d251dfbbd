/**
 * A session's outgoing messages and message actions, bounded: a full queue refuses at once instead
 * of growing without limit. Order is kept per chat: a job names the chats it touches (its lanes) and
 * starts only when no earlier job that shares a lane is waiting or running, so sends to different chats
 * run side by side (up to `concurrency`) while a chat never sees its messages reordered. A job that
 * names no lane keeps its place against every other. Optional pacing spaces sends out (a burst from a
 * fresh number is what gets accounts banned): a paced queue runs one job at a time, spaced.
 */
import { GatewayError } from '../protocol/errors';

interface Job {
  /** The chats it touches; none = every chat (it waits for all before it, and all after it wait for it). */
  lanes: readonly string[];
  run: () => Promise<void>;
  cancel: (error: Error) => void;
}

interface JobOptions {
  /** The chats the job touches (see Job.lanes). */
  lanes?: readonly string[];
  /** For messages accepted earlier (resumed after a restart), which must not be refused. */
  beyondCapacity?: boolean;
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
  private readonly running = new Set<Job>();
  private readonly concurrency: number;
  private draining = false;
  private lastStart = 0;
  private idleWaiters: Array<() => void> = [];
  private lastPlace: Promise<void> = Promise.resolve();

  /** `concurrency`: jobs of different chats that may run at once (1 whenever the queue is paced). */
  constructor(
    private readonly capacity: number,
    private readonly pacing: SendPacing = NO_PACING,
    concurrency = 1,
  ) {
    this.concurrency = pacing.minIntervalMs > 0 || pacing.jitterMs > 0 ? 1 : Math.max(1, concurrency);
  }

  /** Messages waiting or being sent. */
  get depth(): number {
    return this.jobs.length + this.running.size;
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

  /** Queues `task` behind the earlier jobs that share one of its lanes. */
  push<T>(task: () => Promise<T>, { lanes = [], beyondCapacity = false }: JobOptions = {}): Promise<T> {
    if (!beyondCapacity && this.isFull) return Promise.reject(this.fullError());
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ lanes, run: () => task().then(resolve, reject), cancel: reject });
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

  /** Starts what may start now. A job stays in `jobs` (so it can still be cancelled) until its pacing delay is over. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    for (let job = this.nextToStart(); job; job = this.nextToStart()) {
      await this.pace();
      const index = this.jobs.indexOf(job);
      if (index >= 0) this.start(this.jobs.splice(index, 1)[0]!);
    }
    this.draining = false;
    if (this.depth === 0) this.wakeIdleWaiters();
  }

  private start(job: Job): void {
    this.running.add(job);
    void job.run().finally(() => {
      this.running.delete(job);
      void this.drain();
    });
  }

  /** The first waiting job that no running or earlier waiting job shares a lane with, while there is a free slot. */
  private nextToStart(): Job | undefined {
    if (this.running.size >= this.concurrency) return undefined;
    const taken = new Set<string>();
    for (const job of this.running) {
      if (job.lanes.length === 0) return undefined;
      for (const lane of job.lanes) taken.add(lane);
    }
    for (const job of this.jobs) {
      if (job.lanes.length === 0) return this.running.size === 0 && taken.size === 0 ? job : undefined;
      if (job.lanes.every((lane) => !taken.has(lane))) return job;
      for (const lane of job.lanes) taken.add(lane);
    }
    return undefined;
  }

  private wakeIdleWaiters(): void {
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
