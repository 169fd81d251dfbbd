/**
 * Fan-out load: an injector connection calls sandbox_inject_message, and N
 * receiver connections that follow the session each get message_received.
 * The text carries its send time ("b:<id>:<performance.now()>"), so each
 * receiver knows its delivery latency.
 */
import { performance } from 'node:perf_hooks';
import { call, closeClient, connectClient, connectMany, ok, type AckResponse, type Client } from './clients';
import type { ServerKind } from './ipc';
import { countError, countFor, paced, type PhaseErrors } from './load';
import { FROM, SESSION_ID } from './settings';

type DeliveryHandler = (id: number, latencyMs: number) => void;
const ignore: DeliveryHandler = () => {};

export class FanoutGroup {
  readonly receivers: Client[] = [];
  private onDelivery = ignore;
  private nextId = 0;

  private constructor(
    readonly kind: ServerKind,
    private readonly url: string,
    readonly injector: Client,
  ) {}

  static async connect(kind: ServerKind, url: string): Promise<FanoutGroup> {
    const injector = await connectClient(url);
    // The injector follows nothing, so it receives its own message only as the direct answer.
    ok(await call(injector, 'subscribe', { sessionIds: [] }), 'subscribe');
    return new FanoutGroup(kind, url, injector);
  }

  /** Adds receivers until there are `size`. */
  async grow(size: number): Promise<void> {
    const added = await connectMany(this.url, size - this.receivers.length);
    for (const socket of added) {
      socket.on('message_received', (payload: { message: { text: string } }) => {
        const now = performance.now();
        const [, id, stamp] = payload.message.text.split(':');
        this.onDelivery(Number(id), now - Number(stamp));
      });
    }
    this.receivers.push(...added);
  }

  /** Open loop: `rate` injections per second for `durationMs`; the latency of every delivery. */
  latency(rate: number, durationMs: number) {
    return new Promise<{ latencies: number[]; errors: PhaseErrors }>((resolve, reject) => {
      const errors: PhaseErrors = { count: 0 };
      const total = countFor(rate, durationMs);
      const expected = total * this.receivers.length;
      const latencies: number[] = [];
      const guard = setTimeout(() => {
        this.onDelivery = ignore;
        reject(new Error(`fan-out ${this.kind}: ${latencies.length}/${expected} deliveries`));
      }, durationMs + 30_000);
      this.onDelivery = (_id, latency) => {
        latencies.push(latency);
        if (latencies.length === expected) {
          clearTimeout(guard);
          this.onDelivery = ignore;
          resolve({ latencies, errors });
        }
      };
      paced(total, rate, () => this.inject(errors));
    });
  }

  /**
   * Closed loop: `window` injections in flight (one is done when every
   * receiver has it) for `durationMs`; deliveries per second.
   */
  throughput(window: number, durationMs: number) {
    return new Promise<{ deliveredTotal: number; rate: number; errors: PhaseErrors }>((resolve, reject) => {
      const errors: PhaseErrors = { count: 0 };
      const n = this.receivers.length;
      /** Receivers still to get each injection in flight. */
      const remaining = new Map<number, number>();
      let delivered = 0;
      let deliveredTotal = 0;
      const end = performance.now() + durationMs;
      const guard = setTimeout(() => {
        this.onDelivery = ignore;
        reject(new Error(`fan-out ${this.kind}: deliveries lost`));
      }, durationMs + 30_000);
      const issue = () => remaining.set(this.inject(errors), n);
      this.onDelivery = (id) => {
        const now = performance.now();
        deliveredTotal += 1;
        if (now <= end) delivered += 1;
        const left = remaining.get(id)! - 1;
        if (left > 0) {
          remaining.set(id, left);
          return;
        }
        remaining.delete(id);
        if (now < end) issue();
        else if (remaining.size === 0) {
          clearTimeout(guard);
          this.onDelivery = ignore;
          resolve({ deliveredTotal, rate: (delivered / durationMs) * 1000, errors });
        }
      };
      for (let i = 0; i < window; i++) issue();
    });
  }

  close(): void {
    closeClient(this.injector);
    for (const socket of this.receivers) closeClient(socket);
  }

  private inject(errors: PhaseErrors): number {
    const id = this.nextId++;
    this.injector.emit(
      'sandbox_inject_message',
      { sessionId: SESSION_ID, from: FROM, text: `b:${id}:${performance.now()}` },
      (response: AckResponse) => countError(errors, response),
    );
    return id;
  }
}
