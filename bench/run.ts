/**
 * `npm run bench`: the gateway's own cost, measured against plain Socket.IO
 * in the same run. See docs/performance.md ("Gateway overhead") for what
 * each figure means; bench/settings.ts for the environment variables.
 *
 * This process is the load generator (bench/clients.ts, bench/load.ts). Each
 * server runs in its own child process (bench/server.ts, controlled through
 * bench/server-child.ts), so the event-loop delay, CPU time and memory
 * reported for it are its own. The scenarios are in bench/scenarios/; this
 * file runs them in order, prints the table, writes bench/results/latest.json
 * and gives up when the whole run takes longer than WATCHDOG_MS.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeAllClients } from './clients';
import { measureInterference, type Interference } from './interference';
import type { ServerKind } from './ipc';
import { machine, sourceVersion } from './machine';
import { log, Report, type Row } from './report';
import { FAN_OUT, fanOut } from './scenarios/fan-out';
import { manySessions, SESSIONS } from './scenarios/many-sessions';
import { DURABLE, durableStoreParts } from './scenarios/durable-store';
import { REQUESTS, requestThroughput } from './scenarios/request-throughput';
import { soak, SOAK } from './scenarios/soak';
import { liveServerPids, ServerChild, stopServers } from './server-child';
import { GATEWAY_ENV, ONLY, QUICK, RESULTS_DIR, STORE_PARTS, STORES, WATCHDOG_MS } from './settings';
import { round } from './stats';

async function main(): Promise<void> {
  const startedAt = performance.now();
  const watchdog = setTimeout(() => {
    log(`bench: still running after ${WATCHDOG_MS / 1000} s, giving up`);
    void stopServers().then(() => process.exit(1));
  }, WATCHDOG_MS);
  watchdog.unref();
  const info = { ...machine(), ...sourceVersion() };
  log(
    `bench: ${info.nproc} CPU (${info.cpuModel}), ${info.totalMemoryGiB} GiB, Node ${info.node}, commit ${info.commit}` +
      `${info.srcUncommittedFiles ? ` + ${info.srcUncommittedFiles} uncommitted src/ files` : ''}${QUICK ? ' — QUICK mode, figures not comparable' : ''}`,
  );

  const report = new Report();
  const interference: Record<string, Interference | undefined> = {};
  /** Runs a scenario, then adds a row with the CPU other processes used meanwhile. */
  const measured = async (name: string, run: () => Promise<void>) => {
    const end = measureInterference(liveServerPids);
    const loadBefore = os.loadavg()[0]!;
    await run();
    const result = (interference[name] = end());
    if (!result) return;
    log(
      `  (other processes used ${result.otherCores.toFixed(2)} of ${os.availableParallelism()} cores meanwhile; the bench ${result.benchCores.toFixed(2)}; load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)})`,
    );
    report.add({
      scenario: name,
      figure: 'CPU used by other processes on the machine meanwhile',
      unit: 'cores',
      gateway: result.otherCores,
    });
  };

  let gatewayConfig: Record<string, string | number | boolean> = {};
  if (ONLY.has('1') || ONLY.has('2')) {
    // Scenarios 1 and 2 share one baseline and one gateway.
    const servers: Record<ServerKind, ServerChild> = {
      baseline: await ServerChild.start('baseline'),
      gateway: await ServerChild.start('gateway'),
    };
    gatewayConfig = servers.gateway.details;
    if (ONLY.has('1')) await measured('1 requests', () => requestThroughput(servers, report));
    if (ONLY.has('2')) await measured('2 fan-out', () => fanOut(servers, report));
    await servers.baseline.close();
    await servers.gateway.close();
  }
  if (ONLY.has('3')) await measured('3 sessions', () => manySessions(report));
  if (ONLY.has('4')) await measured('4 soak', () => soak(report));
  if (ONLY.has('5')) for (const [part, run] of durableStoreParts()) await measured(`5 store ${part}`, () => run(report));

  const durationS = (performance.now() - startedAt) / 1000;
  process.stdout.write(`\n${formatTable(report.rows)}\n\n`);
  for (const warning of report.warnings) log(`warning: ${warning}`);
  log(`bench: done in ${durationS.toFixed(0)} s`);
  await writeJson({
    machine: info,
    command: 'npm run bench',
    quick: QUICK,
    rounds: { requests: REQUESTS.rounds, fanout: FAN_OUT.rounds, sessions: SESSIONS.rounds, store: DURABLE.rounds },
    settings: {
      requests: REQUESTS,
      fanOut: FAN_OUT,
      sessions: SESSIONS,
      soak: SOAK,
      durableStore: { ...DURABLE, stores: [...STORES], parts: [...STORE_PARTS] },
      gatewayEnv: GATEWAY_ENV,
      gatewayConfig,
      client: 'socket.io-client, transports [websocket], forceNew, 127.0.0.1',
    },
    durationS: round(durationS, 1),
    interference,
    table: report.rows.map((row) => ({
      ...row,
      baseline: row.baseline === undefined ? undefined : round(row.baseline, 3),
      gateway: round(row.gateway, 3),
      ratio: row.ratio === undefined ? undefined : round(row.ratio, 3),
    })),
    raw: report.raw,
    warnings: report.warnings,
    runId: randomBytes(4).toString('hex'),
  });
}

async function writeJson(json: Record<string, unknown>): Promise<void> {
  const file = path.join(RESULTS_DIR, 'latest.json');
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`bench: figures written to ${path.relative(process.cwd(), file)}`);
}

// ---- the table -----------------------------------------------------------------

const HEADER = ['Scenario', 'Figure', 'Unit', 'Baseline', 'Gateway', 'Gw/Base', 'Goal', 'Met'];
/** Baseline, Gateway and Gw/Base are right-aligned. */
const isNumeric = (column: number) => column >= 3 && column <= 5;

/** A Markdown table, padded so it reads as plain text too. */
function formatTable(rows: Row[]): string {
  const lines = rows.map((row) => [
    row.scenario,
    row.figure,
    row.unit,
    format(row.baseline, row.unit),
    format(row.gateway, row.unit),
    row.ratio === undefined ? '' : row.ratio.toFixed(2),
    row.goal ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => (isNumeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (isNumeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [fmt(HEADER), rule, ...lines.map(fmt)].join('\n');
}

function format(value: number | undefined, unit: string): string {
  if (value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (unit === '×') return value.toFixed(3);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

main()
  .then(() => {
    closeAllClients();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopServers();
    process.exit(1);
  });
