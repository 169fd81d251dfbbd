/**
 * Scenario 2: message_received fan-out. N receiver connections follow the
 * session; an injector connection (following nothing) calls
 * sandbox_inject_message. Per size, round and system: deliveries per second
 * and server CPU per delivery in a closed loop, then delivery latency at a
 * fixed injection rate.
 */
import { startSession } from '../clients';
import { FanoutGroup } from '../fan-out-load';
import type { ServerKind } from '../ipc';
import { log, type Report, type Row } from '../report';
import { inRotation, medianOf } from '../rounds';
import type { ServerChild } from '../server-child';
import { QUICK, rounds, SESSION_ID } from '../settings';
import { max, percentile, round, sleep } from '../stats';

export const FAN_OUT = {
  rounds: rounds(5, 2),
  /** Receiver counts, measured in this order (receivers are added, not replaced). */
  sizes: [1, 50, 200],
  offeredRate: 50,
  latencyMs: QUICK ? 400 : 1000,
  throughputMs: QUICK ? 300 : 800,
  /** Warm-up phases per size and system. */
  warmupMs: 300,
};

const KINDS: ServerKind[] = ['baseline', 'gateway'];

type Round = { p50: number; p99: number; max: number; deliveredPerSec: number; cpuUsPerDelivery: number };

export async function fanOut(servers: Record<ServerKind, ServerChild>, report: Report): Promise<void> {
  const { sizes, offeredRate, rounds } = FAN_OUT;
  log(`scenario 2: message_received fan-out to ${sizes.join(' / ')} clients, ${offeredRate} injections/s offered, ${rounds} rounds`);
  const groups = {} as Record<ServerKind, FanoutGroup>;
  for (const kind of KINDS) groups[kind] = await FanoutGroup.connect(kind, servers[kind].url);
  // The gateway's session: started by scenario 1 when it ran, otherwise here.
  await startSession(groups.gateway.injector, SESSION_ID);

  const results: Record<string, Record<ServerKind, Round[]>> = {};
  for (const size of sizes) {
    for (const kind of KINDS) await groups[kind].grow(size);
    /** Injections in flight: enough to keep the server busy with one receiver, at least 4. */
    const window = Math.max(4, Math.ceil(128 / size));
    for (const kind of KINDS) await warmUp(groups[kind], window);
    const bySystem = await inRotation(KINDS, rounds, (kind) => measure(servers[kind], groups[kind], window, report));
    results[size] = bySystem;
    const med = (kind: ServerKind, key: keyof Round) => medianOf(bySystem[kind], key);
    log(
      `  ${size} clients: ${KINDS.map((k) => `${k} p99 ${round(med(k, 'p99'))} ms, ${Math.round(med(k, 'deliveredPerSec'))} events/s`).join('; ')}`,
    );
    report.add(...tableRows(size, window, bySystem));
  }
  for (const kind of KINDS) groups[kind].close();
  report.raw.fanout = results;
}

async function warmUp(group: FanoutGroup, window: number): Promise<void> {
  await group.latency(FAN_OUT.offeredRate, FAN_OUT.warmupMs);
  await group.throughput(window, FAN_OUT.warmupMs);
  await sleep(100);
}

/** One round of one system: the closed loop (deliveries/s, CPU), then the open loop (latency). */
async function measure(server: ServerChild, group: FanoutGroup, window: number, report: Report): Promise<Round> {
  const size = group.receivers.length;
  await server.windowStart();
  const tp = await group.throughput(window, FAN_OUT.throughputMs);
  const loop = await server.windowStop();
  report.noteErrors(`scenario 2 ${group.kind} ${size} throughput`, tp.errors);
  await sleep(100);
  const lat = await group.latency(FAN_OUT.offeredRate, FAN_OUT.latencyMs);
  report.noteErrors(`scenario 2 ${group.kind} ${size} latency`, lat.errors);
  await sleep(100);
  return {
    p50: percentile(lat.latencies, 50),
    p99: percentile(lat.latencies, 99),
    max: max(lat.latencies),
    deliveredPerSec: tp.rate,
    cpuUsPerDelivery: ((loop.cpuUserMs + loop.cpuSystemMs) * 1000) / tp.deliveredTotal,
  };
}

function tableRows(size: number, window: number, bySystem: Record<ServerKind, Round[]>): Row[] {
  const med = (kind: ServerKind, key: keyof Round) => medianOf(bySystem[kind], key);
  const row = (figure: string, unit: string, key: keyof Round, more: Partial<Row> = {}): Row => ({
    scenario: `2 fan-out ×${size}`,
    figure,
    unit,
    baseline: med('baseline', key),
    gateway: med('gateway', key),
    ...more,
  });
  const ratio = (key: keyof Round) => med('gateway', key) / med('baseline', key);
  const { offeredRate } = FAN_OUT;
  return [
    row(`delivery latency p50 at ${offeredRate} msg/s`, 'ms', 'p50'),
    row(
      `delivery latency p99 at ${offeredRate} msg/s`,
      'ms',
      'p99',
      size === 200 ? { goal: '< 25 ms', met: med('gateway', 'p99') < 25 } : {},
    ),
    row(`max delivered events/s (closed loop, ${window} msgs in flight)`, 'events/s', 'deliveredPerSec', {
      ratio: ratio('deliveredPerSec'),
    }),
    row('server CPU per delivered event (closed loop)', 'µs', 'cpuUsPerDelivery', { ratio: ratio('cpuUsPerDelivery') }),
  ];
}
