/**
 * Load patterns for send_whatsapp_message: a closed loop (a fixed number of
 * requests in flight, for throughput) and an open loop (a fixed offered
 * rate, for latency).
 */
import { performance } from 'node:perf_hooks';
import type { AckResponse, Client } from './clients';
import { SESSION_ID, TO } from './settings';

/** Error answers during a phase: how many, and the first one. */
export interface PhaseErrors {
  count: number;
  first?: string;
}

export function countError(errors: PhaseErrors, response: AckResponse): void {
  if (response.ok) return;
  errors.count += 1;
  errors.first ??= `${response.error.code}: ${response.error.message}`;
}

let sequence = 0;

/**
 * A text message (60 characters). Scenario 1 sends no clientMessageId (the
 * plain request path); the soak runs with and without one, because the
 * gateway remembers sends by clientMessageId (idempotency).
 */
function sendPayload(withClientId: boolean) {
  sequence += 1;
  return {
    sessionId: SESSION_ID,
    to: TO,
    message: `Benchmark message ${sequence} — hello from the load generator`,
    ...(withClientId && { clientMessageId: `m${sequence}` }),
  };
}

/** Requests per second × duration, rounded. */
export function countFor(rate: number, durationMs: number): number {
  return Math.round((rate * durationMs) / 1000);
}

/**
 * Calls `send` `total` times at `rate` per second, regardless of answers:
 * a timer at 1 ms spacing sends whatever is due.
 */
export function paced(total: number, rate: number, send: () => void): void {
  let sent = 0;
  const start = performance.now();
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (sent < due) {
      sent += 1;
      send();
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
}

interface ClosedLoopOptions {
  window: number;
  durationMs?: number;
  count?: number;
  clientIds?: boolean;
}

/**
 * Closed loop: keep `window` send_whatsapp_message requests in flight, for
 * `durationMs` or until `count` requests were answered. `rate` counts the
 * answers that arrived within the duration.
 */
export function closedLoop(socket: Client, options: ClosedLoopOptions) {
  const { window, durationMs = Number.POSITIVE_INFINITY, count = Number.POSITIVE_INFINITY, clientIds = false } = options;
  return new Promise<{ completed: number; elapsedMs: number; rate: number; errors: PhaseErrors }>((resolve, reject) => {
    const errors: PhaseErrors = { count: 0 };
    let issued = 0;
    let completed = 0;
    let inTime = 0;
    let lastAt = 0;
    const start = performance.now();
    const end = start + durationMs;
    const guard = setTimeout(
      () => reject(new Error('closed loop did not finish (lost acknowledgements?)')),
      Math.min(durationMs, 120_000) + 30_000,
    );
    const issue = () => {
      issued += 1;
      socket.emit('send_whatsapp_message', sendPayload(clientIds), onAck);
    };
    const onAck = (response: AckResponse) => {
      countError(errors, response);
      completed += 1;
      const now = performance.now();
      if (now <= end) {
        inTime += 1;
        lastAt = now;
      }
      if (now < end && issued < count) issue();
      else if (completed === issued) {
        clearTimeout(guard);
        const elapsedMs = (Number.isFinite(durationMs) ? Math.min(end, lastAt) : lastAt) - start;
        resolve({ completed, elapsedMs, rate: (inTime / elapsedMs) * 1000, errors });
      }
    };
    for (let i = 0; i < Math.min(window, count); i++) issue();
  });
}

/**
 * Open loop: offer `rate` requests per second for `durationMs` regardless of
 * answers, and time each request from its emit to its acknowledgement.
 */
export function openLoop(socket: Client, rate: number, durationMs: number) {
  return new Promise<{ latencies: number[]; achievedRate: number; errors: PhaseErrors }>((resolve, reject) => {
    const errors: PhaseErrors = { count: 0 };
    const total = countFor(rate, durationMs);
    const latencies: number[] = [];
    const start = performance.now();
    const guard = setTimeout(() => reject(new Error('open loop did not finish (lost acknowledgements?)')), durationMs + 30_000);
    paced(total, rate, () => {
      const t0 = performance.now();
      socket.emit('send_whatsapp_message', sendPayload(false), (response: AckResponse) => {
        latencies.push(performance.now() - t0);
        countError(errors, response);
        if (latencies.length === total) {
          clearTimeout(guard);
          resolve({ latencies, achievedRate: (total / (performance.now() - start)) * 1000, errors });
        }
      });
    });
  });
}
