/**
 * Tools for bench/attacks.ts: the gateway as a child process (so its RSS is its own), raw
 * Engine.IO/Socket.IO clients over WebSocket and HTTP long-polling that send what a hostile
 * client would, and a well-behaved probe that measures the latency other clients see.
 * Everything talks to 127.0.0.1 only.
 */
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { connect, type GatewayClient } from '../src/client/gateway-client';
import { startMain, type GatewayProcess } from '../test/support/gateway-process';
import { percentile, round, sleep } from './stats';

export const ADMIN_KEY = 'attack-bench-admin-key-0123456789';

export interface Target extends GatewayProcess {
  /** Resident set size of the gateway process, in MiB (VmRSS), and its peak so far (VmHWM). */
  rssMiB(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/** `npm start`'s gateway (sandbox engine) in a fresh temp folder, with `env` on top. */
export async function startTarget(env: Record<string, string>): Promise<Target> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wa-gateway-attack-'));
  const gateway = await startMain({
    WA_ENGINE: 'sandbox',
    DATA_DIR: path.join(root, 'data'),
    MEDIA_DIR: path.join(root, 'media'),
    AUTO_LOAD_SESSIONS: '0',
    LOG_LEVEL: 'info',
    ...env,
  });
  const pid = gateway.child.pid!;
  return {
    ...gateway,
    rssMiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { rss: round(kib('VmRSS') / 1024, 1), peak: round(kib('VmHWM') / 1024, 1) };
    },
    stop: async () => {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** A raw Engine.IO v4 WebSocket: nothing is sent that the caller does not send (except pongs). */
export class RawWebSocket {
  readonly messages: Array<string | Buffer> = [];
  closed: { code: number; at: number } | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? (data as Buffer) : data.toString();
      if (message === '2')
        ws.send('3'); // engine.io ping → pong
      else this.messages.push(message);
    });
    ws.on('close', (code) => (this.closed = { code, at: performance.now() }));
    ws.on('error', () => {});
  }

  /** Opens the socket and waits for the engine's open packet; resolves null when the upgrade is refused. */
  static open(url: string, headers: Record<string, string> = {}, query = ''): Promise<RawWebSocket | null> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/?EIO=4&transport=websocket${query}`, { headers });
    const socket = new RawWebSocket(ws);
    return new Promise((resolve) => {
      ws.once('message', () => resolve(socket));
      ws.once('unexpected-response', () => resolve(null));
      ws.once('close', () => resolve(null));
      ws.once('error', () => resolve(null));
    });
  }

  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState !== WebSocket.OPEN) return resolve();
      this.ws.send(data, () => resolve());
    });
  }

  /** Resolves with the first message (after `from`) that passes `match`, or null after `timeoutMs` or on close. */
  async next(match: (message: string | Buffer) => boolean, timeoutMs = 2000, from = 0): Promise<string | Buffer | null> {
    const deadline = performance.now() + timeoutMs;
    for (let index = from; performance.now() < deadline;) {
      while (index < this.messages.length) {
        const message = this.messages[index++]!;
        if (match(message)) return message;
      }
      if (this.closed) return null;
      await sleep(2);
    }
    return null;
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A raw Engine.IO v4 long-polling session. */
export class RawPolling {
  private constructor(
    private readonly base: string,
    readonly sid: string,
  ) {}

  /** The polling handshake; null when refused. */
  static async open(url: string, headers: Record<string, string> = {}, query = ''): Promise<RawPolling | null> {
    const base = `${url}/ws/?EIO=4&transport=polling${query}`;
    const response = await fetch(base, { headers }).catch(() => null);
    if (!response || response.status !== 200) return null;
    const body = await response.text();
    const sid = /"sid":"([^"]+)"/.exec(body)?.[1];
    return sid ? new RawPolling(base, sid) : null;
  }

  /** POSTs Engine.IO packets (joined by the record separator); resolves with the HTTP status (0 when the connection broke). */
  async post(body: string): Promise<number> {
    const response = await fetch(`${this.base}&sid=${this.sid}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    }).catch(() => null);
    if (!response) return 0;
    await response.arrayBuffer();
    return response.status;
  }

  /** One GET: the packets waiting for this session, or null when the session is gone. */
  async poll(): Promise<string[] | null> {
    const response = await fetch(`${this.base}&sid=${this.sid}`).catch(() => null);
    if (!response || response.status !== 200) return null;
    return (await response.text()).split('\x1e');
  }
}

/** Connects the project's own client with the admin key and waits until it is connected. */
export async function connectedClient(url: string, token?: string): Promise<GatewayClient> {
  const client = connect(url, { token, transports: ['websocket'], timeoutMs: 10_000 });
  await new Promise<void>((resolve, reject) => {
    client.socket.once('connect', resolve);
    client.socket.once('connect_error', reject);
  });
  return client;
}

export interface Latency {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * A well-behaved client asking `get_active_sessions` one at a time, every `intervalMs`, until
 * `until` resolves: the round-trip times another client sees meanwhile.
 */
export async function probeLatency(client: GatewayClient, until: Promise<unknown>, intervalMs = 10): Promise<Latency> {
  const times: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const start = performance.now();
    await client.getActiveSessions().catch(() => {});
    times.push(performance.now() - start);
    await sleep(intervalMs);
  }
  return {
    samples: times.length,
    p50: round(percentile(times, 50), 1),
    p99: round(percentile(times, 99), 1),
    max: round(Math.max(...times), 1),
  };
}

/** A Socket.IO EVENT packet inside an Engine.IO message packet, with an ack id when given. */
export function eventPacket(event: string, payload?: unknown, ackId?: number): string {
  return `42${ackId ?? ''}${JSON.stringify(payload === undefined ? [event] : [event, payload])}`;
}

/** Socket.IO CONNECT (inside an Engine.IO message packet) with this auth payload. */
export function connectPacket(auth: Record<string, unknown> = {}): string {
  return `40${JSON.stringify(auth)}`;
}
