/**
 * The server side of `npm run bench`, run as a child process so that its
 * event-loop delay, CPU time and memory are the server's alone:
 *
 *   node --expose-gc --import tsx bench/server.ts gateway    the real gateway (startGateway, sandbox engine)
 *   node --expose-gc --import tsx bench/server.ts baseline   plain Socket.IO doing the same protocol work (bench/baseline-server.ts)
 *
 * It reports { type: 'ready', url } over IPC (bench/ipc.ts), then answers the
 * load generator's commands (memory after GC, event-loop delay and CPU over a
 * window, the store file's size, close). It exits when the parent goes away.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { startBaselineServer } from './baseline-server';
import type { Command, LoopSample, MemorySample, Reply, ServerKind, StoreSample } from './ipc';

interface Started {
  url: string;
  details: Record<string, string | number | boolean>;
  close: () => Promise<void>;
}

const kind = process.argv[2] as ServerKind;
const send = (reply: Reply) => process.send?.(reply);
let closeServer: () => Promise<void> = async () => {};
let cleanup: () => Promise<void> = async () => {};
/** The gateway's SQLite store (when it has one: STORE=sqlite, and a gateway that has a store at all). */
let storeFile: string | undefined;

process.on('disconnect', () => void shutdown(0));

async function shutdown(code: number): Promise<void> {
  await closeServer().catch(() => {});
  await cleanup().catch(() => {});
  process.exit(code);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('bench/server.ts runs as a child of bench/run.ts (it needs an IPC channel)');
  if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
  const started = kind === 'gateway' ? await startGatewayServer() : kind === 'baseline' ? await startBaseline() : undefined;
  if (!started) throw new Error(`unknown server kind "${kind}" (gateway | baseline)`);
  closeServer = started.close;
  send({ type: 'ready', url: started.url, details: started.details });
}

/** The real gateway with the sandbox engine, in a fresh temporary folder. */
async function startGatewayServer(): Promise<Started> {
  // Imported here so the baseline child never loads the gateway's modules.
  const { loadConfig } = await import('../src/config');
  const { startGateway } = await import('../src/gateway');
  const { silentLogger } = await import('../src/logger');
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wa-gateway-bench-'));
  cleanup = () => fs.rm(root, { recursive: true, force: true });
  const config = loadConfig({
    ...process.env,
    WA_ENGINE: 'sandbox',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(root, 'data'),
    MEDIA_DIR: path.join(root, 'media'),
    AUTO_LOAD_SESSIONS: '0',
  });
  const gateway = await startGateway(config, silentLogger);
  // A gateway from before durable delivery has no store module.
  const storeModule = await import('../src/storage/open-store').catch(() => undefined);
  if (storeModule) storeFile = path.join(config.dataDir, storeModule.STORE_FILE);
  const details: Record<string, string | number | boolean> = {
    WA_ENGINE: config.WA_ENGINE,
    SANDBOX_ECHO: config.SANDBOX_ECHO,
    SANDBOX_SCAN_MS: config.SANDBOX_SCAN_MS,
    LOG_LEVEL: config.LOG_LEVEL,
    MAX_SESSIONS: config.MAX_SESSIONS,
    MAX_CONCURRENT_STARTS: config.MAX_CONCURRENT_STARTS,
    SEND_QUEUE_MAX: config.SEND_QUEUE_MAX,
    SEND_IDEMPOTENCY_MAX: config.SEND_IDEMPOTENCY_MAX,
    SEND_MIN_INTERVAL_MS: config.SEND_MIN_INTERVAL_MS,
    SEND_JITTER_MS: config.SEND_JITTER_MS,
    SEND_TYPING_MS: config.SEND_TYPING_MS,
    // Undefined (and left out of the JSON) on a gateway from before durable delivery.
    STORE: config.STORE,
    STORE_SYNC: config.STORE_SYNC,
    RECOVERY_WINDOW_MS: config.RECOVERY_WINDOW_MS,
    EVENT_LOG_MAX_EVENTS: config.EVENT_LOG_MAX_EVENTS,
  };
  return { url: gateway.url, details, close: () => gateway.close() };
}

async function startBaseline(): Promise<Started> {
  return { ...(await startBaselineServer()), details: {} };
}

// ---- measurement commands ----------------------------------------------------

function memoryAfterGc(): MemorySample {
  // Twice: the first pass can leave finalisable objects for the second.
  global.gc!();
  global.gc!();
  const { heapUsed, heapTotal, rss, external, arrayBuffers } = process.memoryUsage();
  return { heapUsed, heapTotal, rss, external, arrayBuffers };
}

const NO_STORE: StoreSample = { dbBytes: 0, walBytes: 0, logicalBytes: 0, events: 0, outboxRows: 0 };

/** Sizes on disk, then a read-only look inside (what is still in the WAL counts: it is the database). */
async function storeSample(): Promise<StoreSample> {
  if (!storeFile) return NO_STORE;
  const size = (file: string) =>
    fs.stat(file).then(
      (stat) => stat.size,
      () => 0,
    );
  const [dbBytes, walBytes] = await Promise.all([size(storeFile), size(`${storeFile}-wal`)]);
  if (!dbBytes) return { ...NO_STORE, walBytes };
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(storeFile, { readonly: true, fileMustExist: true });
  try {
    const pragma = (name: string) => Number(db.pragma(name, { simple: true }));
    const count = (table: string) => db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()!.n;
    return {
      dbBytes,
      walBytes,
      logicalBytes: pragma('page_count') * pragma('page_size'),
      events: count('events'),
      outboxRows: count('outbox'),
    };
  } finally {
    db.close();
  }
}

let window: { histogram: IntervalHistogram; cpu: NodeJS.CpuUsage } | undefined;

function windowStart(): void {
  window?.histogram.disable();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  window = { histogram, cpu: process.cpuUsage() };
}

function windowStop(): LoopSample {
  if (!window) throw new Error('window-stop without window-start');
  const { histogram, cpu } = window;
  histogram.disable();
  window = undefined;
  const used = process.cpuUsage(cpu);
  return {
    eldP99: histogram.percentile(99) / 1e6,
    eldMax: histogram.max / 1e6,
    cpuUserMs: used.user / 1000,
    cpuSystemMs: used.system / 1000,
  };
}

process.on('message', (command: Command) => {
  switch (command.cmd) {
    case 'memory':
      send({ type: 'reply', id: command.id, memory: memoryAfterGc() });
      return;
    case 'store':
      void storeSample().then(
        (store) => send({ type: 'reply', id: command.id, store }),
        (error: unknown) => send({ type: 'reply', id: command.id, error: String(error) }),
      );
      return;
    case 'window-start':
      windowStart();
      send({ type: 'reply', id: command.id });
      return;
    case 'window-stop':
      send({ type: 'reply', id: command.id, loop: windowStop() });
      return;
    case 'close':
      send({ type: 'reply', id: command.id });
      void shutdown(0);
      return;
  }
});

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  void shutdown(1);
});
