/**
 * `npm run bench:browser`: what one session of the real engine costs. Sessions run through the
 * gateway (in this process, 127.0.0.1) with whatsapp-web.js driving headless Chromium against the
 * WhatsApp Web double in auto mode (double/); see docs/performance.md, "Real engine: browser
 * memory and start times".
 *
 * 1. Memory: total PSS of each session's Chromium process tree (`treePssBytes`, the figure
 *    `wa_browser_memory_bytes` exports) at 1, 3 and 5 connected sessions, for each set of launch
 *    options. Marginal cost of a session: (total at the last count − total at the first) / (their
 *    difference), i.e. (total at 5 − total at 1) / 4 by default.
 * 2. Start times: start_session → qr_code on a new profile, and start_session → session_connected on a
 *    stored login; medians (nearest rank, bench/stats.ts) over BENCH_RUNS runs, one session at a time.
 *
 * Launch option sets (BENCH_VARIANTS, comma-separated, default "gateway,stock"):
 *   stock    whatsapp-web.js's own launch: puppeteer's default flags plus only `--no-sandbox` (needed as
 *            root). whatsapp-web.js itself always adds `--user-agent=…` and
 *            `--disable-blink-features=AutomationControlled`.
 *   gateway  the gateway's `launchArgs([])` (src/engines/wwebjs/browser.ts), as shipped.
 *   and candidates: see VARIANTS below.
 *
 * Environment (all optional): BENCH_VARIANTS, BENCH_SESSIONS=1,3,5, BENCH_RUNS=7 (0 skips the start
 * times), BENCH_TIMING_VARIANTS=gateway,stock, BENCH_SETTLE_MS=5000, BENCH_BREAKDOWN=1 (PSS by process
 * type of one browser), BENCH_QUIET_WAIT_MS=30000 (before sampling, wait up to this long while Chromium
 * processes of other runs are alive: they share library pages with ours and lower PSS),
 * BENCH_TIMEOUT_MS=900000 (watchdog). Results: a table on stdout and
 * bench/results/browser-memory-<time>.json. Leaves no Chromium behind; exits by itself.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../src/config';
import { findBrowser, launchArgs } from '../src/engines/wwebjs/browser';
import { createWwebjsClient } from '../src/engines/wwebjs/client';
import { WwebjsEngine } from '../src/engines/wwebjs/wwebjs-engine';
import type { Gateway } from '../src/gateway';
import { silentLogger } from '../src/logger';
import { pssBytes, treePssBytes } from '../src/observability/process-memory';
import { listProcesses, processTree } from '../src/observability/process-table';
import { browserMainPids, chromiumProcesses, killChromium } from '../double/processes';
import { startDoubleGateway, type EventLog } from '../double/gateway';
import { machine } from './machine';
import { MB, median, round, sleep } from './stats';

// ---- settings ---------------------------------------------------------------------------------------

interface Variant {
  /** Replaces the gateway's flags entirely (stock); otherwise `extra` is added to launchArgs. */
  replace?: string[];
  extra?: string[];
  about: string;
}

const VARIANTS: Record<string, Variant> = {
  stock: { replace: ['--no-sandbox'], about: "puppeteer's defaults + --no-sandbox (whatsapp-web.js as shipped, run as root)" },
  gateway: { extra: [], about: 'launchArgs([]) as shipped' },
  /** The flags before the omnibox-popup WebUI was turned off (for the comparison in docs/performance.md). */
  'gateway-previous': {
    replace: launchArgs([]).filter((arg) => arg !== '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup'),
    about: 'launchArgs([]) without --disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  },
  /** Candidates, not shipped: */
  'gateway+network-in-process': {
    extra: ['--enable-features=NetworkServiceInProcess2'],
    about: 'gateway + the network service as a thread of the browser process (its crash takes the browser down)',
  },
  'gateway+in-process-gpu': { extra: ['--in-process-gpu'], about: 'gateway + the GPU process as a thread of the browser process' },
};

const list = (value: string | undefined, fallback: string) =>
  (value ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const SELECTED = list(process.env.BENCH_VARIANTS, 'gateway,stock');
const SESSION_COUNTS = list(process.env.BENCH_SESSIONS, '1,3,5').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIMING_VARIANTS = list(process.env.BENCH_TIMING_VARIANTS, 'gateway,stock').filter((v) => SELECTED.includes(v));
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
const BREAKDOWN = process.env.BENCH_BREAKDOWN === '1';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 900_000);
const QUIET_WAIT_MS = Number(process.env.BENCH_QUIET_WAIT_MS ?? 30_000);
const SAMPLES = 3;
/** Every temp root this run created, for the clean-up on failure. */
const roots = new Set<string>();

for (const name of SELECTED) if (!VARIANTS[name]) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);

// ---- helpers ----------------------------------------------------------------------------------------

const mb = (bytes: number) => round(bytes / MB, 0);

/** Chromium processes on this machine that are not ours (other runs share library pages with ours, lowering PSS). */
async function foreignChromium(ours: string): Promise<number> {
  const foreign = (await listProcesses()).filter(({ cmdline }) => {
    const program = cmdline.split(' ')[0] ?? '';
    // Crashpad handlers (ours too: they carry no profile path) are a separate, small binary.
    return /chrom/.test(program) && !program.includes('crashpad') && !cmdline.includes(ours);
  });
  return foreign.length;
}

/** What a Chromium process does, from its command line (`undefined`: it is gone). */
function processType(cmdline: string | undefined): string {
  if (cmdline === undefined) return 'gone';
  const type = /--type=(\S+)/.exec(cmdline)?.[1];
  if (!type) return 'browser';
  const sub = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
  if (sub) return `utility:${sub.replace(/\.mojom\..*/, '')}`;
  if (type === 'zygote') return cmdline.includes('--no-zygote-sandbox') ? 'zygote (unsandboxed)' : 'zygote';
  if (type === 'renderer' && cmdline.includes('--top-chrome-webui')) return 'renderer (top-chrome WebUI)';
  return type;
}

// ---- one gateway per variant ------------------------------------------------------------------------

interface Bench {
  gateway: Gateway;
  config: Config;
  log: EventLog;
  close(): Promise<void>;
}

async function startBench(root: string, variant: Variant): Promise<Bench> {
  const settings = { MAX_CONCURRENT_STARTS: '1', AUTO_LOAD_SESSIONS: 'false', METRICS_MEMORY_SAMPLE_MS: '1000' };
  const double = await startDoubleGateway(root, settings, { auto: true, scanAfterMs: 300 }, (config) => engineFor(variant, config));
  return { gateway: double.gateway, config: double.config, log: await double.client(), close: double.close };
}

/** The same adapter and client options as shipped; only the stock variant swaps the flags. */
function engineFor(variant: Variant, config: Config): WwebjsEngine {
  return new WwebjsEngine({
    dataDir: config.dataDir,
    chromePath: config.CHROME_PATH,
    chromeArgs: variant.extra ?? [],
    webVersion: config.WWEBJS_WEB_VERSION,
    webVersionCacheDir: config.WWEBJS_WEB_CACHE_DIR,
    logger: silentLogger,
    createClient: (options) => {
      if (variant.replace) options.puppeteer = { ...options.puppeteer, args: [...variant.replace] };
      return createWwebjsClient(options);
    },
  });
}

async function connectSession(bench: Bench, sessionId: string): Promise<void> {
  const after = bench.log.mark();
  await bench.log.client.startSession(sessionId);
  await bench.log.next('session_connected', (c) => c.sessionId === sessionId, { after, timeoutMs: 60_000 });
  // One round trip, so the page has done real work: a send, its acks and the echo.
  await bench.log.client.sendMessage({ sessionId, to: '6281111111111', message: 'hello' });
  await bench.log.next('message_received', (m) => m.sessionId === sessionId, { after, timeoutMs: 30_000 });
}

interface MemoryPoint {
  sessions: number;
  totalPssMB: number;
  perSessionPssMB: number;
  processesPerBrowser: number;
  /** Most Chromium processes of other runs alive during the samples (0 = a quiet machine). */
  foreignChromiumProcesses: number;
  /** wa_browser_memory_bytes from /metrics, summed over the sessions. */
  metricsTotalMB: number;
}

/** Other Chromium processes share library pages with ours and lower their PSS: wait (bounded) until none run. */
async function waitForQuiet(ours: string): Promise<void> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  while ((await foreignChromium(ours)) > 0 && Date.now() < deadline) await sleep(1000);
}

/** wa_browser_memory_bytes per session; read until every session is in (a session joins the gauge at the first sample after it connects). */
async function metricsTotal(bench: Bench, ids: string[]): Promise<number> {
  let values = new Map<string, number>();
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const text = await (await fetch(`${bench.gateway.url}/metrics`)).text();
    values = new Map([...text.matchAll(/^wa_browser_memory_bytes\{session="([^"]+)"\} (\d+)/gm)].map((m) => [m[1]!, Number(m[2])]));
    if (ids.every((id) => values.has(id))) break;
    await sleep(300);
  }
  return ids.reduce((sum, id) => sum + (values.get(id) ?? 0), 0);
}

async function measure(bench: Bench, ids: string[]): Promise<MemoryPoint> {
  await sleep(SETTLE_MS);
  await waitForQuiet(bench.config.dataDir);
  const totals: Array<{ pss: number; processes: number }> = [];
  let foreign = 0;
  for (let sample = 0; sample < SAMPLES; sample += 1) {
    foreign = Math.max(foreign, await foreignChromium(bench.config.dataDir));
    const pids = browserMainPids(bench.config.dataDir);
    const listing = await listProcesses();
    let pss = 0;
    let processes = 0;
    for (const id of ids) {
      const pid = pids.get(id);
      if (!pid) throw new Error(`no browser for session ${id}`);
      pss += await treePssBytes(pid, listing);
      processes += (await processTree(pid, listing)).length;
    }
    totals.push({ pss, processes });
    await sleep(1000);
  }
  const pss = median(totals.map((t) => t.pss));
  return {
    sessions: ids.length,
    totalPssMB: mb(pss),
    perSessionPssMB: mb(pss / ids.length),
    processesPerBrowser: Math.round(totals[0]!.processes / ids.length),
    foreignChromiumProcesses: foreign,
    metricsTotalMB: mb(await metricsTotal(bench, ids)),
  };
}

async function breakdown(bench: Bench, id: string): Promise<Record<string, number>> {
  const pid = browserMainPids(bench.config.dataDir).get(id)!;
  const listing = await listProcesses();
  const byType: Record<string, number> = {};
  for (const child of await processTree(pid, listing)) {
    const type = processType(listing.find((p) => p.pid === child)?.cmdline);
    byType[type] = (byType[type] ?? 0) + mb(await pssBytes(child));
  }
  return byType;
}

interface MemoryResult {
  variant: string;
  about: string;
  flags: string[];
  points: MemoryPoint[];
  /** (total at the largest count − total at the smallest) / (difference in sessions). */
  marginalPssMB: number;
  breakdown?: Record<string, number>;
}

async function memoryRun(name: string): Promise<MemoryResult> {
  const variant = VARIANTS[name]!;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `wa-bench-browser-${name}-`));
  roots.add(root);
  const bench = await startBench(root, variant);
  try {
    const points: MemoryPoint[] = [];
    const ids: string[] = [];
    let result: Record<string, number> | undefined;
    for (const count of SESSION_COUNTS) {
      while (ids.length < count) {
        const id = `m${ids.length + 1}`;
        await connectSession(bench, id);
        ids.push(id);
      }
      const point = await measure(bench, ids);
      points.push(point);
      if (BREAKDOWN && !result) result = await breakdown(bench, ids[0]!);
      console.error(
        `  ${name}: ${count} session(s): ${point.perSessionPssMB} MB PSS each, ${point.totalPssMB} MB in all (other Chromium processes: ${point.foreignChromiumProcesses})`,
      );
    }
    const first = points[0]!;
    const last = points.at(-1)!;
    const span = last.sessions - first.sessions;
    return {
      variant: name,
      about: variant.about,
      flags: variant.replace ?? launchArgs(variant.extra ?? []),
      points,
      marginalPssMB: span ? Math.round((last.totalPssMB - first.totalPssMB) / span) : Number.NaN,
      ...(result && { breakdown: result }),
    };
  } finally {
    await bench.close().catch(() => {});
    killChromium(bench.config.dataDir);
    await fs.rm(root, { recursive: true, force: true });
  }
}

interface TimingResult {
  variant: string;
  toQrMs: number[];
  storedToConnectedMs: number[];
  medianToQrMs: number;
  medianStoredToConnectedMs: number;
}

async function timingRun(name: string): Promise<TimingResult> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `wa-bench-start-${name}-`));
  roots.add(root);
  const bench = await startBench(root, VARIANTS[name]!);
  const { log } = bench;
  try {
    const toQrMs: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const id = `new-${run}`;
      const after = log.mark();
      const asked = Date.now();
      await log.client.startSession(id);
      const qr = await log.next('qr_code', (q) => q.sessionId === id, { after, timeoutMs: 60_000 });
      toQrMs.push(qr.at - asked);
      await log.client.stopSession(id);
    }
    // A stored login: paired once (the double scans by itself), stopped gracefully (flushes the profile).
    let after = log.mark();
    await log.client.startSession('stored');
    await log.next('session_connected', (c) => c.sessionId === 'stored', { after, timeoutMs: 60_000 });
    await log.client.stopSession('stored');
    const storedToConnectedMs: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      after = log.mark();
      const asked = Date.now();
      await log.client.startSession('stored');
      const connected = await log.next('session_connected', (c) => c.sessionId === 'stored', { after, timeoutMs: 60_000 });
      if (log.since('qr_code', 'stored', after).length) throw new Error('the stored login was not restored');
      storedToConnectedMs.push(connected.at - asked);
      await log.client.stopSession('stored');
    }
    console.error(`  ${name}: start → QR ${toQrMs.join(', ')} ms; stored → connected ${storedToConnectedMs.join(', ')} ms`);
    return {
      variant: name,
      toQrMs,
      storedToConnectedMs,
      medianToQrMs: median(toQrMs),
      medianStoredToConnectedMs: median(storedToConnectedMs),
    };
  } finally {
    await bench.close().catch(() => {});
    killChromium(bench.config.dataDir);
    await fs.rm(root, { recursive: true, force: true });
  }
}

// ---- report -----------------------------------------------------------------------------------------

/** The shared machine facts, and the browser and command this run used. */
function runInfo() {
  const browser = findBrowser(process.env.CHROME_PATH);
  return {
    ...machine(),
    browser,
    chromium: execFileSync(browser, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
    command: `BENCH_VARIANTS=${SELECTED.join(',')} BENCH_SESSIONS=${SESSION_COUNTS.join(',')} BENCH_RUNS=${RUNS} npm run bench:browser`,
  };
}

function printMemory(results: MemoryResult[]): void {
  const header = [
    'variant',
    ...SESSION_COUNTS.map((n) => `PSS/session @${n}`),
    `marginal PSS @${SESSION_COUNTS.at(-1)}`,
    'procs/browser',
    'metrics check',
  ];
  const rows = results.map((r) => {
    const last = r.points.at(-1)!;
    return [
      r.variant,
      ...r.points.map((p) => `${p.perSessionPssMB} MB`),
      `${r.marginalPssMB} MB`,
      String(last.processesPerBrowser),
      `${last.metricsTotalMB} vs ${last.totalPssMB} MB`,
    ];
  });
  printTable(header, rows);
  for (const r of results)
    if (r.breakdown) console.log(`${r.variant} by process type (MB PSS, 1st session): ${JSON.stringify(r.breakdown)}`);
  const foreign = Math.max(...results.flatMap((r) => r.points.map((p) => p.foreignChromiumProcesses)));
  if (foreign) console.log(`note: up to ${foreign} Chromium processes of other runs were alive; they share library pages and lower PSS`);
}

function printTiming(results: TimingResult[]): void {
  printTable(
    ['variant', `start → qr_code (median of ${RUNS})`, 'runs', `stored → session_connected (median of ${RUNS})`, 'runs'],
    results.map((r) => [
      r.variant,
      `${r.medianToQrMs} ms`,
      r.toQrMs.join(' '),
      `${r.medianStoredToConnectedMs} ms`,
      r.storedToConnectedMs.join(' '),
    ]),
  );
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

const report = { machine: runInfo(), settleMs: SETTLE_MS, complete: false, memory: [] as MemoryResult[], timing: [] as TimingResult[] };

/** Prints the table and writes the JSON (also for a partial run stopped by the watchdog). */
function publish(): string {
  const { machine: info, memory, timing } = report;
  console.log(`\n${info.chromium}, ${info.nproc} cores (${info.cpuModel}), ${info.totalMemoryGiB} GB, Node ${info.node}, ${info.date}\n`);
  if (memory.length) printMemory(memory);
  if (timing.length) {
    console.log('');
    printTiming(timing);
  }
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `browser-memory-${info.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}${report.complete ? '' : ' (incomplete)'}`);
  return file;
}

async function main(): Promise<void> {
  const info = report.machine;
  console.error(`browser memory and start times: ${info.chromium}, ${info.nproc} cores, ${info.cpuModel}, Node ${info.node}`);
  for (const name of SELECTED) report.memory.push(await memoryRun(name));
  if (RUNS > 0) for (const name of TIMING_VARIANTS) report.timing.push(await timingRun(name));
  report.complete = true;
  publish();
}

const watchdog = setTimeout(() => {
  console.error(`watchdog: not finished after ${TIMEOUT_MS} ms`);
  killOurChromium();
  publish();
  process.exit(1);
}, TIMEOUT_MS);
watchdog.unref();

/** For the watchdog and failures: no browser and no temp folder of this run stays. */
function killOurChromium(): void {
  for (const root of roots) {
    killChromium(path.join(root, 'data'));
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => {
    const left = [...roots].flatMap((root) => chromiumProcesses(path.join(root, 'data')));
    if (left.length) {
      console.error(`${left.length} Chromium processes were left behind`);
      killOurChromium();
      process.exit(1);
    }
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    killOurChromium();
    process.exit(1);
  },
);
