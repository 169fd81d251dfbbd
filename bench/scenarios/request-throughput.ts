/**
 * Scenario 1: one connection sends send_whatsapp_message to one connected
 * sandbox session. Per round and system: throughput and server CPU with 64
 * requests in flight, then latency at a fixed offered rate.
 *
 * Four ways of answering the same requests are measured in turn each round:
 * the baseline; the gateway with the sender following every session (the
 * default: it also receives the sandbox's three message_ack events per
 * message); the gateway with the sender following every session but leaving
 * message_ack out (subscribe {events}, the event filter); and the gateway with
 * the sender following no session (subscribe []: message_sent and the ack
 * only, like the baseline). The gateway's store is the default (sqlite) unless
 * STORE is set in the environment (STORE=memory leaves the disk out).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SERVER_EVENT_NAMES } from '../../src/protocol/events';
import { call, closeClient, connectClient, ok, startSession, type Client } from '../clients';
import type { ServerKind } from '../ipc';
import { closedLoop, openLoop } from '../load';
import { log, type Report, type Row } from '../report';
import { inRotation, medianOf } from '../rounds';
import type { ServerChild } from '../server-child';
import { QUICK, rounds, SESSION_ID } from '../settings';
import { max, percentile, round, sleep } from '../stats';

export const REQUESTS = {
  /** More, shorter rounds than the other scenarios: bursts of load from other processes then land on every system alike. */
  rounds: rounds(7, 2),
  /** Requests in flight in the closed loop. */
  window: 64,
  throughputMs: QUICK ? 500 : 1000,
  offeredRate: 1000,
  latencyMs: QUICK ? 500 : 1200,
  warmupMs: QUICK ? 300 : 1000,
  /** Pause after a phase so the sandbox's delayed message_ack events (50/100/150 ms) are done. */
  settleMs: 250,
};

type System = 'baseline' | 'gateway' | 'gateway-no-ack' | 'gateway-quiet';
const SYSTEMS: System[] = ['baseline', 'gateway', 'gateway-no-ack', 'gateway-quiet'];
type GatewaySystem = Exclude<System, 'baseline'>;

/** What the gateway's sender subscribes to as each system. */
const SUBSCRIPTIONS: Record<GatewaySystem, { sessionIds: '*' | []; events?: string[] }> = {
  gateway: { sessionIds: '*' },
  'gateway-no-ack': { sessionIds: '*', events: SERVER_EVENT_NAMES.filter((name) => name !== 'message_ack') },
  'gateway-quiet': { sessionIds: [] },
};

type Round = {
  throughput: number;
  cpuUsPerMsg: number;
  clientCpuUsPerMsg: number;
  eldP99Saturated: number;
  p50: number;
  p99: number;
  max: number;
  achievedRate: number;
  clientEldP99: number;
};

export async function requestThroughput(servers: Record<ServerKind, ServerChild>, report: Report): Promise<void> {
  const { rounds, window, offeredRate } = REQUESTS;
  log(`scenario 1: send_whatsapp_message, window ${window}, ${offeredRate}/s offered, ${rounds} rounds`);
  const senders = await Senders.connect(servers);
  for (const system of SYSTEMS) await warmUp(senders, system);
  const results = await inRotation(SYSTEMS, rounds, (system) => measure(senders, system, report), logRound);
  senders.close();
  report.raw.requests = results;
  report.add(...tableRows(results));
}

/** The baseline's and the gateway's connection; the gateway's follows every session or none, as the system needs. */
class Senders {
  private following: GatewaySystem = 'gateway';

  private constructor(
    private readonly servers: Record<ServerKind, ServerChild>,
    private readonly clients: Record<ServerKind, Client>,
  ) {}

  static async connect(servers: Record<ServerKind, ServerChild>): Promise<Senders> {
    const clients = { baseline: await connectClient(servers.baseline.url), gateway: await connectClient(servers.gateway.url) };
    await startSession(clients.gateway, SESSION_ID);
    return new Senders(servers, clients);
  }

  server(system: System): ServerChild {
    return this.servers[system === 'baseline' ? 'baseline' : 'gateway'];
  }

  /** The connection for `system`, subscribed as it needs. */
  async client(system: System): Promise<Client> {
    if (system === 'baseline') return this.clients.baseline;
    if (system !== this.following) {
      ok(await call(this.clients.gateway, 'subscribe', SUBSCRIPTIONS[system]), 'subscribe');
      this.following = system;
    }
    return this.clients.gateway;
  }

  close(): void {
    closeClient(this.clients.baseline);
    closeClient(this.clients.gateway);
  }
}

async function warmUp(senders: Senders, system: System): Promise<void> {
  const client = await senders.client(system);
  await closedLoop(client, { window: REQUESTS.window, durationMs: REQUESTS.warmupMs });
  await sleep(REQUESTS.settleMs);
  await openLoop(client, REQUESTS.offeredRate, REQUESTS.warmupMs / 2);
  await sleep(REQUESTS.settleMs);
}

/** One round of one system: the closed loop (throughput, CPU), then the open loop (latency). */
async function measure(senders: Senders, system: System, report: Report): Promise<Round> {
  const { window, throughputMs, offeredRate, latencyMs, settleMs } = REQUESTS;
  const server = senders.server(system);
  const client = await senders.client(system);
  await server.windowStart();
  const clientCpu = process.cpuUsage();
  const tp = await closedLoop(client, { window, durationMs: throughputMs });
  await sleep(settleMs);
  const clientCpuUsed = process.cpuUsage(clientCpu);
  const loop = await server.windowStop();
  report.noteErrors(`scenario 1 ${system} throughput`, tp.errors);
  const clientEld = monitorEventLoopDelay({ resolution: 1 });
  clientEld.enable();
  const lat = await openLoop(client, offeredRate, latencyMs);
  clientEld.disable();
  await sleep(settleMs);
  report.noteErrors(`scenario 1 ${system} latency`, lat.errors);
  return {
    throughput: tp.rate,
    cpuUsPerMsg: ((loop.cpuUserMs + loop.cpuSystemMs) * 1000) / tp.completed,
    clientCpuUsPerMsg: (clientCpuUsed.user + clientCpuUsed.system) / tp.completed,
    eldP99Saturated: loop.eldP99,
    p50: percentile(lat.latencies, 50),
    p99: percentile(lat.latencies, 99),
    max: max(lat.latencies),
    achievedRate: lat.achievedRate,
    clientEldP99: clientEld.percentile(99) / 1e6,
  };
}

function logRound(results: Record<System, Round[]>, r: number): void {
  const last = (system: System) => results[system].at(-1)!;
  const summary = SYSTEMS.map((s) => `${s} ${Math.round(last(s).throughput)} msg/s, p99 ${round(last(s).p99)} ms`);
  log(`  round ${r + 1}/${REQUESTS.rounds}: ${summary.join('; ')}`);
}

function tableRows(results: Record<System, Round[]>): Row[] {
  const med = (system: System, key: keyof Round) => medianOf(results[system], key);
  const { window, offeredRate } = REQUESTS;
  const quiet = 'sender follows no session';
  const noAck = 'sender leaves message_ack out (event filter)';
  /** A row comparing `system` (the gateway by default) with the baseline. */
  const row = (figure: string, unit: string, key: keyof Round, system: System = 'gateway', more: Partial<Row> = {}): Row => ({
    scenario: '1 requests',
    figure,
    unit,
    baseline: med('baseline', key),
    gateway: med(system, key),
    ...more,
  });
  const ratio = (key: keyof Round, system: System = 'gateway') => med(system, key) / med('baseline', key);
  const tpRatio = ratio('throughput');
  const costRatio = med('baseline', 'cpuUsPerMsg') / med('gateway', 'cpuUsPerMsg');
  return [
    row(`max throughput (closed loop, ${window} in flight)`, 'msg/s', 'throughput', 'gateway', {
      ratio: tpRatio,
      goal: 'gateway/baseline ≥ 0.8',
      met: tpRatio >= 0.8,
    }),
    row(`  same, ${noAck}`, 'msg/s', 'throughput', 'gateway-no-ack', {
      ratio: ratio('throughput', 'gateway-no-ack'),
      goal: 'gateway/baseline ≥ 0.9',
      met: ratio('throughput', 'gateway-no-ack') >= 0.9,
    }),
    row(`  same, ${quiet} (no message_ack)`, 'msg/s', 'throughput', 'gateway-quiet', { ratio: ratio('throughput', 'gateway-quiet') }),
    row('server CPU per message at max throughput', 'µs', 'cpuUsPerMsg', 'gateway', { ratio: ratio('cpuUsPerMsg') }),
    row(`  same, ${noAck}`, 'µs', 'cpuUsPerMsg', 'gateway-no-ack', { ratio: ratio('cpuUsPerMsg', 'gateway-no-ack') }),
    row(`  same, ${quiet}`, 'µs', 'cpuUsPerMsg', 'gateway-quiet', { ratio: ratio('cpuUsPerMsg', 'gateway-quiet') }),
    {
      scenario: '1 requests',
      figure: 'server-bound capacity = 1 s / server CPU per message',
      unit: 'msg/s',
      baseline: 1e6 / med('baseline', 'cpuUsPerMsg'),
      gateway: 1e6 / med('gateway', 'cpuUsPerMsg'),
      ratio: costRatio,
      goal: 'cross-check: ≥ 0.8',
      met: costRatio >= 0.8,
    },
    row('load generator CPU per message at max throughput', 'µs', 'clientCpuUsPerMsg'),
    row('server event-loop delay p99 at max throughput', 'ms', 'eldP99Saturated'),
    row(`latency p50 at ${offeredRate} msg/s`, 'ms', 'p50'),
    row(`latency p99 at ${offeredRate} msg/s`, 'ms', 'p99', 'gateway', { goal: '< 5 ms', met: med('gateway', 'p99') < 5 }),
    row(`  same, ${noAck}`, 'ms', 'p99', 'gateway-no-ack'),
    row(`  same, ${quiet}`, 'ms', 'p99', 'gateway-quiet'),
    row(`latency max at ${offeredRate} msg/s`, 'ms', 'max'),
    row('load generator event-loop delay p99 (latency phase)', 'ms', 'clientEldP99'),
  ];
}
