/**
 * Scenario 5: what the durable store costs. Every send goes through the
 * outbox and every session event into the event log; this measures that
 * against the same gateway with STORE=memory, in four parts
 * (BENCH_STORE_PARTS):
 *
 * - sends: one gateway child per store system (BENCH_STORES), one connected
 *   sandbox session, one connection that follows it and sends texts with a
 *   clientMessageId: throughput with 64 in flight, then latency at 1,000
 *   msg/s offered (emit → ack, and emit → the message_sent event). Rounds
 *   alternate between the systems.
 * - disk, replay, recovery: bench/store-parts.ts.
 */
import { closedLoop, openLoop } from '../load';
import { log, type Report, type Row } from '../report';
import { inRotation, medianOf } from '../rounds';
import { QUICK, rounds, STORE_PARTS, STORES, type StoreSystem } from '../settings';
import { max, percentile, round } from '../stats';
import { spread, STORE_SCENARIO, StoreGateway } from '../store-gateway';
import { diskUse, recoveryMemory, replaySpeed } from '../store-parts';

export const DURABLE = {
  rounds: rounds(5, 2),
  /** Requests in flight in the closed loop. */
  window: 64,
  throughputMs: QUICK ? 500 : 1000,
  offeredRate: 1000,
  latencyMs: QUICK ? 500 : 1200,
  warmupMs: QUICK ? 300 : 1000,
  disk: { sends: QUICK ? 2000 : 100_000, receives: QUICK ? 2000 : 100_000, parts: 4 },
  replay: { events: QUICK ? 4000 : 40_000, repeats: 3 },
  recovery: { clients: QUICK ? 20 : 100, sends: QUICK ? 2000 : 10_000 },
};

type Round = {
  throughput: number;
  cpuUsPerMsg: number;
  /** The kernel's part of it (system calls: the store's writes and locks, the sockets). */
  systemCpuUsPerMsg: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  sentP50: number;
  sentP99: number;
  achievedRate: number;
  errors: number;
};

type Part = (report: Report) => Promise<void>;

/** The parts to run, by name, for run.ts to time and watch one by one. */
export function durableStoreParts(): Array<[string, Part]> {
  const parts: Array<[string, Part]> = [
    ['sends', sends],
    ['disk', (report) => diskUse(report, DURABLE.disk)],
    ['replay', (report) => replaySpeed(report, DURABLE.replay)],
    ['recovery', (report) => recoveryMemory(report, DURABLE.recovery)],
  ];
  return parts.filter(([name]) => STORE_PARTS.has(name as 'sends'));
}

async function sends(report: Report): Promise<void> {
  const systems = [...STORES];
  const { rounds, window, offeredRate } = DURABLE;
  log(`scenario 5 sends: ${systems.join(', ')}; window ${window}, then ${offeredRate}/s offered; ${rounds} rounds`);
  const gateways = {} as Record<StoreSystem, StoreGateway>;
  const labels = {} as Record<StoreSystem, string>;
  for (const system of systems) {
    gateways[system] = await StoreGateway.start(system);
    labels[system] = gateways[system].storeLabel;
    log(`  ${system}: ${labels[system]}`);
  }
  for (const system of systems) await warmUp(gateways[system]);
  const results = await inRotation(systems, rounds, (system) => measure(gateways[system], report), logRound(systems));
  for (const system of systems) await gateways[system].close();
  report.raw.storeSends = results;
  report.add(...sendRows(results, labels));
}

async function warmUp(gateway: StoreGateway): Promise<void> {
  await closedLoop(gateway.sender, { window: DURABLE.window, durationMs: DURABLE.warmupMs, clientIds: true });
  await gateway.settled();
  await openLoop(gateway.sender, DURABLE.offeredRate, DURABLE.warmupMs / 2, { clientIds: true });
  await gateway.settled();
}

/** One round of one system: the closed loop (throughput, CPU up to when the acks are written), then the open loop (latency). */
async function measure(gateway: StoreGateway, report: Report): Promise<Round> {
  const { window, throughputMs, offeredRate, latencyMs } = DURABLE;
  const { server, sender, system } = gateway;
  await server.windowStart();
  const tp = await closedLoop(sender, { window, durationMs: throughputMs, clientIds: true });
  await gateway.settled();
  const loop = await server.windowStop();
  report.noteErrors(`scenario 5 ${system} throughput`, tp.errors);
  const lat = await openLoop(sender, offeredRate, latencyMs, { clientIds: true });
  await gateway.settled();
  report.noteErrors(`scenario 5 ${system} latency`, lat.errors);
  if (lat.sentLatencies.length < lat.latencies.length - lat.errors.count)
    report.warnings.push(`scenario 5 ${system}: ${lat.sentLatencies.length} message_sent events for ${lat.latencies.length} sends`);
  return {
    throughput: tp.rate,
    cpuUsPerMsg: ((loop.cpuUserMs + loop.cpuSystemMs) * 1000) / tp.completed,
    systemCpuUsPerMsg: (loop.cpuSystemMs * 1000) / tp.completed,
    ackP50: percentile(lat.latencies, 50),
    ackP99: percentile(lat.latencies, 99),
    ackMax: max(lat.latencies),
    sentP50: percentile(lat.sentLatencies, 50),
    sentP99: percentile(lat.sentLatencies, 99),
    achievedRate: lat.achievedRate,
    errors: tp.errors.count + lat.errors.count,
  };
}

function logRound(systems: StoreSystem[]) {
  return (results: Record<StoreSystem, Round[]>, r: number) => {
    const last = (system: StoreSystem) => results[system].at(-1)!;
    const summary = systems.map(
      (s) => `${s} ${Math.round(last(s).throughput)} msg/s, ${round(last(s).cpuUsPerMsg, 0)} µs CPU, ack p99 ${round(last(s).ackP99)} ms`,
    );
    log(`  round ${r + 1}/${DURABLE.rounds}: ${summary.join('; ')}`);
  };
}

/** 1 − throughput of `system` / throughput of `against`: the median, and the range over rounds (round by round). */
function costRow(results: Record<StoreSystem, Round[]>, system: StoreSystem, against: StoreSystem, name: string, isGoal: boolean): Row {
  const costs = results[system].map((r, i) => 1 - r.throughput / results[against][i]!.throughput);
  const cost = 1 - medianOf(results[system], 'throughput') / medianOf(results[against], 'throughput');
  const what = against === 'memory' ? 'memory' : 'BENCH_BEFORE_TREE';
  return {
    scenario: `${STORE_SCENARIO} sends`,
    figure: `  cost = 1 − its throughput / ${what}'s, ${name} (rounds ${spread(costs.map((c) => c * 100))})`,
    unit: '%',
    gateway: cost * 100,
    ...(isGoal && { goal: '≤ 20 %', met: cost <= 0.2 }),
  };
}

/** Each system against STORE=memory (the Baseline column), medians with the rounds' range in the label; costs against memory and the gateway before. */
function sendRows(results: Record<StoreSystem, Round[]>, labels: Record<StoreSystem, string>): Row[] {
  const systems = Object.keys(labels) as StoreSystem[];
  const hasMemory = systems.includes('memory');
  const med = (system: StoreSystem, key: keyof Round) => medianOf(results[system], key);
  const range = (system: StoreSystem, key: keyof Round) => spread(results[system].map((r) => r[key]));
  const { window, offeredRate } = DURABLE;
  const rows: Row[] = [];
  for (const system of systems) {
    const name = labels[system];
    const isDefault = system === 'sqlite-normal';
    const compared = hasMemory && system !== 'memory';
    const row = (figure: string, unit: string, key: keyof Round, more: Partial<Row> = {}): Row => ({
      scenario: `${STORE_SCENARIO} sends`,
      figure: `${figure}, ${name} (rounds ${range(system, key)})`,
      unit,
      ...(compared && { baseline: med('memory', key) }),
      gateway: med(system, key),
      ...more,
    });
    const tpRatio = compared ? med(system, 'throughput') / med('memory', 'throughput') : undefined;
    rows.push(row(`max throughput (closed loop, ${window} in flight)`, 'msg/s', 'throughput', { ratio: tpRatio }));
    if (compared && system !== 'before') rows.push(costRow(results, system, 'memory', name, isDefault));
    if (systems.includes('before') && system !== 'before') rows.push(costRow(results, system, 'before', name, false));
    rows.push(
      row('server CPU per message (closed loop, until its acks are written)', 'µs', 'cpuUsPerMsg', {
        ratio: compared ? med(system, 'cpuUsPerMsg') / med('memory', 'cpuUsPerMsg') : undefined,
      }),
      row('  of which system (kernel) CPU', 'µs', 'systemCpuUsPerMsg'),
      row(`emit → ack p50 at ${offeredRate} msg/s`, 'ms', 'ackP50'),
      row(`emit → ack p99 at ${offeredRate} msg/s`, 'ms', 'ackP99', isDefault ? { goal: '< 5 ms', met: med(system, 'ackP99') < 5 } : {}),
      row(`emit → message_sent p50 at ${offeredRate} msg/s`, 'ms', 'sentP50'),
      row(`emit → message_sent p99 at ${offeredRate} msg/s`, 'ms', 'sentP99'),
      row(`achieved rate of the ${offeredRate} msg/s phase`, 'msg/s', 'achievedRate'),
    );
  }
  return rows;
}
