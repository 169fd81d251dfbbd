/**
 * Load patterns for send_whatsapp_message: a closed loop (a fixed number of
 * requests in flight, for throughput) and an open loop (a fixed offered
 * rate, for latency).
 */
import { performance } from 'node:perf_hooks';
import type { AckResponse, Client } from './clients';
import { FROM, SESSION_ID, TO } from './settings';

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
 * gateway remembers sends by clientMessageId (idempotency); scenario 5 always
 * sends one, as a bot that relies on the outbox would.
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

/** An incoming message for the sandbox to report as message_received. */
function injectPayload() {
  sequence += 1;
  return { sessionId: SESSION_ID, from: FROM, text: `Benchmark message ${sequence} — hello to the load generator` };
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
  /** sandbox_inject_message (an incoming message) instead of send_whatsapp_message. */
  inject?: boolean;
}

/**
 * Closed loop: keep `window` send_whatsapp_message (or, with `inject`,
 * sandbox_inject_message) requests in flight, for
 * `durationMs` or until `count` requests were answered. `rate` counts the
 * answers that arrived within the duration.
 */
export function closedLoop(socket: Client, options: ClosedLoopOptions) {
  const { window, durationMs = Number.POSITIVE_INFINITY, count = Number.POSITIVE_INFINITY, clientIds = false, inject = false } = options;
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
      if (inject) socket.emit('sandbox_inject_message', injectPayload(), onAck);
      else socket.emit('send_whatsapp_message', sendPayload(clientIds), onAck);
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

/** The latencies an open loop measured: emit → ack, and (with clientIds) emit → the message_sent event. */
export interface OpenLoopResult {
  latencies: number[];
  sentLatencies: number[];
  achievedRate: number;
  errors: PhaseErrors;
}

/**
 * Open loop: offer `rate` requests per second for `durationMs` regardless of
 * answers, and time each request from its emit to its acknowledgement. With
 * `clientIds`, also to the message_sent event that carries its
 * clientMessageId (the sender must follow the session to get it).
 */
export function openLoop(socket: Client, rate: number, durationMs: number, { clientIds = false } = {}) {
  return new Promise<OpenLoopResult>((resolve, reject) => {
    const errors: PhaseErrors = { count: 0 };
    const total = countFor(rate, durationMs);
    const latencies: number[] = [];
    const sentLatencies: number[] = [];
    const emittedAt = new Map<string, number>();
    const onSent = ({ clientMessageId }: { clientMessageId?: string }) => {
      const t0 = clientMessageId === undefined ? undefined : emittedAt.get(clientMessageId);
      if (t0 === undefined) return;
      sentLatencies.push(performance.now() - t0);
      emittedAt.delete(clientMessageId!);
    };
    if (clientIds) socket.on('message_sent', onSent);
    const start = performance.now();
    const guard = setTimeout(() => {
      socket.off('message_sent', onSent);
      reject(new Error('open loop did not finish (lost acknowledgements?)'));
    }, durationMs + 30_000);
    paced(total, rate, () => {
      const payload = sendPayload(clientIds);
      const t0 = performance.now();
      if (payload.clientMessageId !== undefined) emittedAt.set(payload.clientMessageId, t0);
      socket.emit('send_whatsapp_message', payload, (response: AckResponse) => {
        latencies.push(performance.now() - t0);
        countError(errors, response);
        if (latencies.length === total) {
          clearTimeout(guard);
          socket.off('message_sent', onSent);
          resolve({ latencies, sentLatencies, achievedRate: (total / (performance.now() - start)) * 1000, errors });
        }
      });
    });
  });
}
