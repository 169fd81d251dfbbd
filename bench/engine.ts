/**
 * `npm run bench:engine`: the gateway's real engine against what a user would write instead, a bare
 * whatsapp-web.js script (one Client, sending in a loop). Both run whatsapp-web.js in real headless
 * Chromium against the WhatsApp Web double in auto mode (double/), each in a child process of its own
 * (bench/engine-child.ts, bench/engine-ipc.ts), one session each, on 127.0.0.1; the bot that drives the gateway runs here, so
 * the gateway's Node CPU is the gateway's alone. See docs/performance.md, "Real engine against a bare script".
 *
 * Per system, once: start → QR and start → connected on a new profile (auto mode scans 500 ms after the
 * QR), and stop → start → connected on the stored login. Then BENCH_ROUNDS rounds, the two systems in
 * rotating order, each round: BENCH_SENDS text sends with 1 and with 8 in flight (sends/s, p50/p99 latency
 * from the call to its answer, Node CPU and Chromium CPU per send, from /proc), and incoming latency
 * (the double's page adds a message → the bot has it) idle, while 8 sends are in flight as fast as each
 * system goes, and while sends are offered at BENCH_PACED_RATE a second to both (8 at most in flight;
 * the faster system otherwise also loads the page more). Medians over
 * the rounds, with their ranges; also the DevTools commands each process sends Chromium per send, and
 * which. Sends go round-robin to BENCH_CHATS chats. Environment: BENCH_ROUNDS=4,
 * BENCH_SENDS=300, BENCH_INCOMING=40, BENCH_CHATS=8, BENCH_PACED_RATE=100,
 * BENCH_TIMEOUT_MS=900000 (watchdog); SEND_CONCURRENCY is passed to the gateway (default 4). Results: a table on stdout and bench/results/engine-<time>.json.
 * Leaves no Chromium behind; exits by itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { phone, type Phone } from '../double/gateway';
import { deliverMessage } from '../double/harness';
import { chromiumProcesses, killChromium } from '../double/processes';
import { connect, type GatewayClient } from '../src/client/gateway-client';
import { now, SESSION_ID, type ChildCommand, type ChildKind, type ChildReply } from './engine-ipc';
import { machine, sourceVersion } from './machine';
import { inRotation } from './rounds';
import { sendLoop, type LoopResult } from './send-loop';
import { median, percentile, round } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const SENDS = Number(process.env.BENCH_SENDS ?? 300);
const INCOMING = Number(process.env.BENCH_INCOMING ?? 40);
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 900_000);
const IN_FLIGHT = [1, 8] as const;
/** The offered send rate of the second incoming-under-load phase (BENCH_PACED_RATE): the same load for both systems. */
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 100);
/** Sends go round-robin to this many chats (BENCH_CHATS): the gateway keeps order per chat, a bare script keeps none. */
const CHATS = Number(process.env.BENCH_CHATS ?? 8);
const PEERS = Array.from({ length: CHATS }, (_, i) => `1555123456${i}`);
const SENDER = '15557654321@c.us';
const TICK_MS = 1000 / 100; // /proc's clock ticks (USER_HZ)

interface RoundFigures {
  [figure: string]: number;
}

/** One system: its child process, its folders, and how to send and receive through it. */
interface System {
  kind: ChildKind;
  child: ChildProcess;
  dataDir: string;
  startup: Record<string, number>;
  /** With `ratePerSec`, an offered load at that rate (still at most `inFlight` at a time). */
  send(count: number, inFlight: number, ratePerSec?: number): Promise<LoopResult>;
  /** When each incoming message (by text) reached the bot. */
  arrivals(): Promise<Record<string, number>>;
  /** The DevTools commands its process sent Chromium since the last ask. */
  pageCalls(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

const children = new Set<ChildProcess>();

function forkChild(kind: ChildKind, root: string): ChildProcess {
  const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
  const child = fork(path.join(__dirname, 'engine-child.ts'), [kind, root], {
    execArgv: ['--import', tsxLoader],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function next<T extends ChildReply['type']>(child: ChildProcess, type: T): Promise<Extract<ChildReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildReply) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ChildReply, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`bench child exited (${code}) before answering ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

function ask<T extends ChildReply['type']>(child: ChildProcess, command: ChildCommand, answer: T) {
  const answered = next(child, answer);
  child.send(command);
  return answered;
}

async function startBare(root: string): Promise<System> {
  const child = forkChild('bare', root);
  const ready = await next(child, 'ready');
  const restarted = await ask(child, { type: 'restart' }, 'restarted');
  return {
    kind: 'bare',
    child,
    dataDir: path.join(root, 'data'),
    startup: {
      startToQrMs: ready.startToQrMs!,
      startToConnectedMs: ready.startToConnectedMs!,
      restoreToConnectedMs: restarted.restoreToConnectedMs,
    },
    send: (count, inFlight, ratePerSec) =>
      ask(child, { type: 'send', count, inFlight, ratePerSec, to: PEERS.map((peer) => `${peer}@c.us`) }, 'sent'),
    arrivals: async () => (await ask(child, { type: 'arrivals' }, 'arrivals')).at,
    pageCalls: () => pageCallsOf(child),
    close: async () => void (await ask(child, { type: 'close' }, 'closed')),
  };
}

async function startGatewaySystem(root: string): Promise<System> {
  const child = forkChild('gateway', root);
  const { url } = await next(child, 'ready');
  const bot = connect(url!, { requestsPerSecond: 100_000, burst: 100_000, timeoutMs: 60_000 });
  await bot.connected();
  const arrivals: Record<string, number> = {};
  bot.on('message_received', ({ message }) => (arrivals[message.text] = now()));
  const startup = await gatewayStartTimes(bot);
  return {
    kind: 'gateway',
    child,
    dataDir: path.join(root, 'data'),
    startup,
    send: (count, inFlight, ratePerSec) =>
      sendLoop(
        count,
        inFlight,
        (n) => bot.sendMessage({ sessionId: SESSION_ID, to: PEERS[n % PEERS.length]!, message: `bench ${n}` }),
        ratePerSec,
      ),
    arrivals: async () => ({ ...arrivals }),
    pageCalls: () => pageCallsOf(child),
    close: async () => {
      bot.close();
      await ask(child, { type: 'close' }, 'closed');
    },
  };
}

async function pageCallsOf(child: ChildProcess): Promise<Record<string, number>> {
  return (await ask(child, { type: 'pageCalls' }, 'pageCalls')).counts;
}

/** DevTools commands per send with 8 in flight, by method or page function, summed over the rounds. */
const pageCallsAt8: Record<ChildKind, Record<string, number>> = { gateway: {}, bare: {} };

async function gatewayStartTimes(bot: GatewayClient): Promise<Record<string, number>> {
  const event = (name: 'qr_code' | 'session_connected') =>
    new Promise<void>((resolve) => {
      const listener = () => {
        bot.off(name, listener);
        resolve();
      };
      bot.on(name, listener);
    });
  const started = now();
  const qr = event('qr_code').then(() => now() - started);
  const connected = event('session_connected').then(() => now() - started);
  await bot.startSession(SESSION_ID);
  const startup = { startToQrMs: await qr, startToConnectedMs: await connected };
  await bot.stopSession(SESSION_ID);
  const restarting = now();
  const restored = event('session_connected');
  await bot.startSession(SESSION_ID);
  await restored;
  return { ...startup, restoreToConnectedMs: now() - restarting };
}

/** Utime + stime of the processes, in ms. */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks * TICK_MS;
}

async function sendRound(system: System, inFlight: number): Promise<RoundFigures> {
  const chromium = chromiumProcesses(system.dataDir);
  const node = () => cpuMs([system.child.pid!]);
  await system.pageCalls();
  const [nodeBefore, chromiumBefore, began] = [node(), cpuMs(chromium), now()];
  const { latenciesMs, failed } = await system.send(SENDS, inFlight);
  const elapsedMs = now() - began;
  if (failed) throw new Error(`${system.kind}: ${failed} of ${SENDS} sends failed`);
  const calls = await system.pageCalls();
  if (inFlight === 8) for (const [name, count] of Object.entries(calls)) addTo(pageCallsAt8[system.kind], name, count);
  return {
    [`pageCallsPerSend@${inFlight}`]: round(Object.values(calls).reduce((sum, count) => sum + count, 0) / SENDS, 2),
    [`sendsPerSec@${inFlight}`]: round((SENDS / elapsedMs) * 1000, 1),
    [`p50Ms@${inFlight}`]: round(percentile(latenciesMs, 50), 2),
    [`p99Ms@${inFlight}`]: round(percentile(latenciesMs, 99), 2),
    [`nodeCpuMsPerSend@${inFlight}`]: round((node() - nodeBefore) / SENDS, 2),
    [`chromiumCpuMsPerSend@${inFlight}`]: round((cpuMs(chromium) - chromiumBefore) / SENDS, 2),
  };
}

/** Incoming messages added by the page one after another, each latency from the page call to the bot. */
async function incomingRound(system: System, device: Phone, label: string, load?: Promise<LoopResult>): Promise<RoundFigures> {
  const loadStarted = now();
  const sentAt = new Map<string, number>();
  for (let i = 0; i < INCOMING; i++) {
    const body = `incoming ${label} ${Date.now()} ${i}`;
    sentAt.set(body, now());
    await deliverMessage(device.page, { from: SENDER, body });
  }
  const loaded = await load;
  const loadMs = now() - loadStarted;
  if (loaded?.failed) throw new Error(`${system.kind}: ${loaded.failed} of the ${label} phase's sends failed`);
  const deadline = Date.now() + 30_000;
  let arrived = await system.arrivals();
  while ([...sentAt.keys()].some((body) => arrived[body] === undefined) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    arrived = await system.arrivals();
  }
  const latencies = [...sentAt].map(([body, at]) => (arrived[body] ?? Number.NaN) - at);
  if (latencies.some(Number.isNaN)) throw new Error(`${system.kind}: incoming messages did not arrive within 30 s`);
  return {
    [`incomingP50Ms@${label}`]: round(percentile(latencies, 50), 2),
    [`incomingP99Ms@${label}`]: round(percentile(latencies, 99), 2),
    // The send rate the load reached (until it and the deliveries were both done): the paced phase's shows whether both systems kept up.
    ...(loaded && { [`loadSendsPerSec@${label}`]: round((SENDS / loadMs) * 1000, 1) }),
  };
}

async function measure(system: System): Promise<RoundFigures> {
  const figures: RoundFigures = {};
  for (const inFlight of IN_FLIGHT) Object.assign(figures, await sendRound(system, inFlight));
  const device = await phone(system.dataDir, SESSION_ID);
  try {
    Object.assign(figures, await incomingRound(system, device, 'idle'));
    Object.assign(figures, await incomingRound(system, device, 'load', system.send(SENDS, 8)));
    Object.assign(figures, await incomingRound(system, device, 'paced', system.send(SENDS, 8, PACED_RATE)));
  } finally {
    await device.disconnect();
  }
  return figures;
}

const GOALS: Record<string, (gateway: number, bare: number) => { goal: string; met: boolean }> = {
  'sendsPerSec@8': (g, b) => ({ goal: '≥ 0.9× bare', met: g >= 0.9 * b }),
  'chromiumCpuMsPerSend@8': (g, b) => ({ goal: 'within 10 % of bare', met: g <= 1.1 * b }),
  'p50Ms@1': (g, b) => ({ goal: 'within 1 ms of bare', met: g - b <= 1 }),
  'incomingP99Ms@load': (g) => ({ goal: '< 20 ms', met: g < 20 }),
  'incomingP99Ms@paced': (g) => ({ goal: '< 20 ms', met: g < 20 }),
};

function summarize(results: Record<ChildKind, RoundFigures[]>, startup: Record<ChildKind, Record<string, number>>) {
  const figures = Object.keys(results.gateway[0] ?? {});
  const of = (kind: ChildKind, figure: string) => results[kind].map((r) => r[figure]!);
  const range = (values: number[]) => `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)}`;
  const rows = figures.map((figure) => {
    const [gateway, bare] = [median(of('gateway', figure)), median(of('bare', figure))];
    return {
      figure,
      gateway,
      gatewayRange: range(of('gateway', figure)),
      bare,
      bareRange: range(of('bare', figure)),
      ratio: round(gateway / bare, 2),
      ...GOALS[figure]?.(gateway, bare),
    };
  });
  for (const figure of Object.keys(startup.gateway)) {
    const [gateway, bare] = [round(startup.gateway[figure]!, 0), round(startup.bare[figure]!, 0)];
    rows.push({ figure, gateway, gatewayRange: 'once', bare, bareRange: 'once', ratio: round(gateway / bare, 2) });
  }
  return rows;
}

function addTo(counts: Record<string, number>, name: string, count: number): void {
  counts[name] = (counts[name] ?? 0) + count;
}

/** Per send, the most frequent DevTools commands of each system (8 in flight, all rounds). */
function pageCallBreakdown(): Record<ChildKind, Record<string, number>> {
  const perSend = (counts: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(counts)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 12)
        .map(([name, count]) => [name, round(count / (SENDS * ROUNDS), 3)]),
    );
  return { gateway: perSend(pageCallsAt8.gateway), bare: perSend(pageCallsAt8.bare) };
}

const roots: Record<ChildKind, string> = {
  gateway: mkdtempSync(path.join(os.tmpdir(), 'bench-engine-gw-')),
  bare: mkdtempSync(path.join(os.tmpdir(), 'bench-engine-bare-')),
};

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`bench:engine: still running after ${TIMEOUT_MS} ms; stopping`);
    cleanUp();
    process.exit(1);
  }, TIMEOUT_MS);
  const systems: Partial<Record<ChildKind, System>> = {};
  try {
    systems.gateway = await startGatewaySystem(roots.gateway);
    systems.bare = await startBare(roots.bare);
    const ready = systems as Record<ChildKind, System>;
    const results = await inRotation(
      ['gateway', 'bare'] as const,
      ROUNDS,
      (kind) => measure(ready[kind]),
      (_, r) => process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`),
    );
    const rows = summarize(results, { gateway: ready.gateway.startup, bare: ready.bare.startup });
    console.table(rows);
    const breakdown = pageCallBreakdown();
    console.log('DevTools commands per send, 8 in flight:', JSON.stringify(breakdown, null, 2));
    const resultsDir = path.join(__dirname, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `engine-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const settings = { rounds: ROUNDS, sends: SENDS, incoming: INCOMING, inFlight: IN_FLIGHT, pacedRate: PACED_RATE };
    writeFileSync(
      file,
      JSON.stringify({ machine: machine(), source: sourceVersion(), settings, rows, pageCallsPerSend: breakdown, results }, null, 2),
    );
    console.log(`results: ${file}`);
  } finally {
    clearTimeout(watchdog);
    for (const system of Object.values(systems)) await system.close().catch(() => undefined);
    cleanUp();
  }
}

function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const root of Object.values(roots)) {
    killChromium(path.join(root, 'data'));
    rmSync(root, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
