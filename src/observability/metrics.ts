/**
 * Prometheus metrics (/metrics): process defaults, sessions by status, message
 * counters and send latency per session, queue depth, QR and pairing codes, restarts,
 * connected clients, and each session's browser memory (PSS, sampled).
 */
import client from 'prom-client';
import { SESSION_STATUSES } from '../protocol/schemas';
import { tapped, type Publisher, type SessionEvent } from '../sessions/publisher';
import type { Session } from '../sessions/session';
import { treePssBytes } from './process-memory';
import { listProcesses } from './process-table';
import { toGatewayError } from '../protocol/errors';

export class GatewayMetrics {
  readonly registry = new client.Registry();
  private readonly sent = this.counter('wa_messages_sent_total', 'Messages WhatsApp accepted (returned an id for).', ['session']);
  private readonly failed = this.counter('wa_messages_failed_total', 'Send requests answered with send_error.', ['session', 'code']);
  private readonly received = this.counter('wa_messages_received_total', 'Incoming messages delivered to clients.', ['session']);
  private readonly qrCodes = this.counter('wa_qr_codes_total', 'QR codes shown.', ['session']);
  private readonly pairingCodes = this.counter('wa_pairing_codes_total', 'Pairing codes shown.', ['session']);
  private readonly restarts = this.counter('wa_session_restarts_total', 'Automatic restarts after a lost browser or connection.', [
    'session',
  ]);
  private readonly sendLatency = new client.Histogram({
    name: 'wa_send_latency_seconds',
    help: 'From send request to WhatsApp message id (queue wait included).',
    labelNames: ['session'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly webVersion = new client.Gauge({
    name: 'wa_web_version_info',
    help: 'The WhatsApp Web version each connected session runs against (value 1).',
    labelNames: ['session', 'version'],
    registers: [this.registry],
  });
  private readonly browserMemory = new client.Gauge({
    name: 'wa_browser_memory_bytes',
    help: 'PSS of the session browser process tree, sampled every METRICS_MEMORY_SAMPLE_MS.',
    labelNames: ['session'],
    registers: [this.registry],
  });
  private readonly webVersions = new Map<string, string | undefined>();
  private sampler?: NodeJS.Timeout;
  private sessions: () => Session[] = () => [];

  constructor(connectedClients: () => number) {
    client.collectDefaultMetrics({ register: this.registry });
    const sessions = () => this.sessions();
    new client.Gauge({
      name: 'wa_sessions',
      help: 'Sessions by status.',
      labelNames: ['status'],
      registers: [this.registry],
      collect() {
        for (const status of SESSION_STATUSES) this.set({ status }, sessions().filter((s) => s.snapshot().status === status).length);
      },
    });
    new client.Gauge({
      name: 'wa_send_queue_depth',
      help: 'Messages waiting in or being sent by each session queue.',
      labelNames: ['session'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const session of sessions()) this.set({ session: session.id }, session.queue.depth);
      },
    });
    new client.Gauge({
      name: 'wa_socket_clients',
      help: 'Connected Socket.IO clients.',
      registers: [this.registry],
      collect() {
        this.set(connectedClients());
      },
    });
  }

  /** Wraps a session publisher so every event it publishes is counted. */
  observe(publish: Publisher): Publisher {
    return tapped(publish, (sessionId, e) => this.count(sessionId, e));
  }

  /** Times a send from request to answer, and counts the requests answered with an error. */
  async timeSend<T>(sessionId: string, send: Promise<T>): Promise<T> {
    const stop = this.sendLatency.startTimer({ session: sessionId });
    try {
      const result = await send;
      stop();
      return result;
    } catch (error) {
      this.failed.inc({ session: sessionId, code: toGatewayError(error).code });
      throw error;
    }
  }

  /** Where the session gauges and the memory sampler find the sessions. */
  watch(sessions: () => Session[]): void {
    this.sessions = sessions;
  }

  startSampling(intervalMs: number): void {
    // Measure every session first, then replace the gauge in one step, so a scrape never sees half a pass.
    const sample = async () => {
      const sessions = this.sessions().map((session) => ({ id: session.id, pid: session.browserProcessId() }));
      const processes = await listProcesses();
      const measured = await Promise.all(
        sessions.map(async ({ id, pid }) => ({ id, bytes: pid ? await treePssBytes(pid, processes) : 0 })),
      );
      this.browserMemory.reset();
      for (const { id, bytes } of measured) if (bytes) this.browserMemory.set({ session: id }, bytes);
    };
    this.sampler = setInterval(() => void sample(), intervalMs);
    this.sampler.unref();
    void sample();
  }

  stop(): void {
    clearInterval(this.sampler);
  }

  private count(sessionId: string, e: SessionEvent): void {
    const labels = { session: sessionId };
    if (e.event === 'message_received') this.received.inc(labels);
    else if (e.event === 'message_sent') this.sent.inc(labels);
    else if (e.event === 'qr_code') this.qrCodes.inc(labels);
    else if (e.event === 'pairing_code') this.pairingCodes.inc(labels);
    else if (e.event === 'session_connected') this.noteWebVersion(sessionId, e.payload.webVersion);
    else if (e.event === 'session_status' && e.payload.status === 'reconnecting') this.restarts.inc(labels);
  }

  private noteWebVersion(sessionId: string, version: string | undefined): void {
    const previous = this.webVersions.get(sessionId);
    if (previous) this.webVersion.remove({ session: sessionId, version: previous });
    if (version) this.webVersion.set({ session: sessionId, version }, 1);
    this.webVersions.set(sessionId, version);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]) {
    return new client.Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
