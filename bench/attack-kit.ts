/**
 * Tools for bench/attacks.ts: the gateway as a child process (so its RSS is its own), attackers
 * in processes of their own (bench/attacker.ts), and a well-behaved probe that measures the
 * latency other clients see. The raw clients that send what a hostile client would are
 * test/support/raw-clients.ts. Everything talks to 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, type GatewayClient } from '../src/client/gateway-client';
import { startMain, type GatewayProcess } from '../test/support/gateway-process';
import { percentile, round, sleep } from './stats';

export const ADMIN_KEY = 'attack-bench-admin-key-0123456789';
export const ATTACKER_KEY = 'attack-bench-attacker-key-0123456789';

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

/** Runs bench/attacker.ts with these arguments in a process of its own; resolves with what it printed. */
export function runAttacker(args: string[]): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'attacker.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output)) : reject(new Error(`attacker exited ${code}`)))),
  );
}

/** Connects the project's own client with the admin key and waits until it is connected. */
export async function connectedClient(url: string, token?: string): Promise<GatewayClient> {
  // The probe asks every 25 ms (40/s, under the gateway's limit): no pacing of its own on top.
  return connect(url, { token, transports: ['websocket'], timeoutMs: 10_000, requestsPerSecond: 1000, burst: 1000 }).connected();
}

export interface Latency {
  samples: number;
  /** Answers that were errors (rate_limited, …). */
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * A well-behaved client asking `get_active_sessions` one at a time, every `intervalMs`, until
 * `until` resolves: the round-trip times another client sees meanwhile.
 */
export async function probeLatency(client: GatewayClient, until: Promise<unknown>, intervalMs = 25): Promise<Latency> {
  const times: number[] = [];
  let errors = 0;
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const start = performance.now();
    await client.getActiveSessions().catch(() => (errors += 1));
    times.push(performance.now() - start);
    await sleep(intervalMs);
  }
  return {
    samples: times.length,
    errors,
    p50: round(percentile(times, 50), 1),
    p99: round(percentile(times, 99), 1),
    max: round(Math.max(...times), 1),
  };
}
