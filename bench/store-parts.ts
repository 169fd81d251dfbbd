/**
 * Scenario 5's other parts (bench/scenarios/durable-store.ts runs them):
 *
 * - disk: a fresh gateway (STORE=sqlite, nothing pruned) takes a counted
 *   number of sends (100,000), then of incoming messages (100,000); the
 *   store file is measured along the way and at the end.
 * - replay: a fresh gateway per store system logs about N events (sends:
 *   message_sent and three message_ack each); a new connection then resumes
 *   with `subscribe {since: 0}` and is timed until the answer, which comes
 *   after the last replayed event.
 * - recovery: the gateway's memory while K followers are away (their
 *   transport dropped, as a network cut does) and the sender goes on,
 *   with RECOVERY_WINDOW_MS at its default and at 0.
 */
import { performance } from 'node:perf_hooks';
import { call, closeClient, connectClient, connectMany, ok, untilQuiet, type Client } from './clients';
import type { MemorySample, StoreSample } from './ipc';
import { closedLoop } from './load';
import { log, type Report, type Row } from './report';
import { medianOf } from './rounds';
import { SESSION_ID, STORES, type StoreSystem } from './settings';
import { MB, round, sleep } from './stats';
import { spread, STORE_SCENARIO, StoreGateway } from './store-gateway';

/** Requests in flight while a part fills the store. */
const WINDOW = 64;
/** Events each send logs: message_sent and the sandbox's three message_ack. */
const EVENTS_PER_SEND = 4;
/** What a follower misses while the sender goes on. */
const MISSED_EVENTS = ['message_sent', 'message_ack'];
/** Retention limits high enough that the upkeep (first run at start, then every minute) prunes nothing while the disk part runs. */
const NO_PRUNING = '100000000';

interface DiskCounts {
  sends: number;
  receives: number;
  /** Each count goes in this many closed loops, with the file measured after each (it should grow in a straight line). */
  parts: number;
}

export async function diskUse(report: Report, { sends, receives, parts }: DiskCounts): Promise<void> {
  log(`scenario 5 disk: ${sends} sends, then ${receives} incoming messages, into a fresh STORE=sqlite STORE_SYNC=normal`);
  const gateway = await StoreGateway.start(
    'sqlite-normal',
    { EVENT_LOG_MAX_EVENTS: NO_PRUNING, SEND_IDEMPOTENCY_MAX: NO_PRUNING },
    'store-disk',
  );
  const { server, sender } = gateway;
  const empty = await server.store();
  const fill = async (inject: boolean, total: number) => {
    const samples: StoreSample[] = [];
    let ms = 0;
    for (let i = 0; i < parts; i++) {
      const part = await closedLoop(sender, { window: WINDOW, count: total / parts, clientIds: !inject, inject });
      ms += part.elapsedMs;
      report.noteErrors(`scenario 5 disk ${inject ? 'receives' : 'sends'}`, part.errors);
      await untilQuiet(sender, inject ? ['message_received'] : ['message_sent', 'message_ack'], 300);
      samples.push(await server.store());
    }
    return { samples, rate: (total / ms) * 1000 };
  };
  const sent = await fill(false, sends);
  const received = await fill(true, receives);
  await gateway.close();
  const afterSends = sent.samples.at(-1)!;
  const afterReceives = received.samples.at(-1)!;
  const files = (s: StoreSample) => `db ${round(s.dbBytes / MB, 1)} MB + wal ${round(s.walBytes / MB, 1)} MB`;
  log(`  empty: ${files(empty)}; after the sends: ${files(afterSends)}; after the incoming: ${files(afterReceives)}`);
  report.raw.storeDisk = { sends, receives, empty, sent, received };
  report.add(...diskRows(sends, receives, [empty, afterSends, afterReceives]));
}

function diskRows(sends: number, receives: number, [empty, afterSends, afterReceives]: StoreSample[]): Row[] {
  const scenario = `${STORE_SCENARIO} disk`;
  const perSent = (afterSends!.logicalBytes - empty!.logicalBytes) / sends;
  const perReceived = (afterReceives!.logicalBytes - afterSends!.logicalBytes) / receives;
  const onDisk = (s: StoreSample) => (s.dbBytes + s.walBytes) / MB;
  return [
    { scenario, figure: `store file (db + -wal) after ${sends.toLocaleString('en-US')} sends`, unit: 'MB', gateway: onDisk(afterSends!) },
    {
      scenario,
      figure: `  and after ${receives.toLocaleString('en-US')} incoming messages more`,
      unit: 'MB',
      gateway: onDisk(afterReceives!),
    },
    {
      scenario,
      figure: '  of which -wal (its high-water mark, reused after each checkpoint)',
      unit: 'MB',
      gateway: afterReceives!.walBytes / MB,
    },
    {
      scenario,
      figure: 'events logged per send (outbox rows per send: 1)',
      unit: 'count',
      gateway: (afterSends!.events - empty!.events) / sends,
    },
    { scenario, figure: 'database size per sent message (outbox row + its events)', unit: 'B', gateway: perSent },
    { scenario, figure: 'database size per incoming message (one event)', unit: 'B', gateway: perReceived },
    {
      scenario,
      figure: `  per 100,000 sent messages (measured over ${sends.toLocaleString('en-US')})`,
      unit: 'MB',
      gateway: (perSent * 1e5) / MB,
    },
    {
      scenario,
      figure: `  per 100,000 incoming messages (measured over ${receives.toLocaleString('en-US')})`,
      unit: 'MB',
      gateway: (perReceived * 1e5) / MB,
    },
  ];
}

type ReplayRound = { events: number; ms: number; eventsPerSec: number; serverCpuUsPerEvent: number };

/** Replay is reading, which STORE_SYNC does not change: the default and memory. */
export async function replaySpeed(report: Report, { events, repeats }: { events: number; repeats: number }): Promise<void> {
  const systems = (['sqlite-normal', 'memory'] as const).filter((system) => STORES.has(system));
  const sends = Math.ceil(events / EVENTS_PER_SEND);
  log(`scenario 5 replay: ${systems.join(', ')}; ${sends} sends (~${events} events), then ${repeats} resumes from seq 0`);
  const results = {} as Record<StoreSystem, ReplayRound[]>;
  for (const system of systems) {
    const gateway = await StoreGateway.start(system, {}, `store-replay-${system}`);
    report.noteErrors(
      `scenario 5 replay ${system} fill`,
      (await closedLoop(gateway.sender, { window: WINDOW, count: sends, clientIds: true })).errors,
    );
    await gateway.settled();
    results[system] = [];
    for (let r = 0; r < repeats; r++) results[system].push(await resumeFromZero(gateway, report));
    await gateway.close();
    const last = results[system].at(-1)!;
    log(`  ${system}: ${last.events} events in ${Math.round(last.ms)} ms, ${Math.round(last.eventsPerSec)} events/s`);
  }
  report.raw.storeReplay = results;
  report.add(...replayRows(results, systems));
}

/** A new connection asks for everything since seq 0; timed until the answer, which follows the last replayed event. */
async function resumeFromZero(gateway: StoreGateway, report: Report): Promise<ReplayRound> {
  const client = await connectClient(gateway.server.url);
  let received = 0;
  client.onAny((_event: string, payload: { replayed?: boolean }) => {
    if (payload?.replayed === true) received += 1;
  });
  await gateway.server.windowStart();
  const t0 = performance.now();
  const answer = ok(await call(client, 'subscribe', { sessionIds: '*', since: { [SESSION_ID]: 0 } }, 120_000), 'subscribe');
  const ms = performance.now() - t0;
  const loop = await gateway.server.windowStop();
  closeClient(client);
  const { events } = (answer.replayed as Record<string, { events: number }>)[SESSION_ID]!;
  if (received !== events)
    report.warnings.push(`scenario 5 replay ${gateway.system}: answer says ${events} events, ${received} arrived first`);
  return { events, ms, eventsPerSec: (events / ms) * 1000, serverCpuUsPerEvent: ((loop.cpuUserMs + loop.cpuSystemMs) * 1000) / events };
}

function replayRows(results: Record<StoreSystem, ReplayRound[]>, systems: readonly StoreSystem[]): Row[] {
  const compared = systems.includes('memory') && systems.includes('sqlite-normal');
  const main: StoreSystem = systems.includes('sqlite-normal') ? 'sqlite-normal' : 'memory';
  const med = (system: StoreSystem, key: keyof ReplayRound) => medianOf(results[system], key);
  const row = (figure: string, unit: string, key: keyof ReplayRound): Row => ({
    scenario: `${STORE_SCENARIO} replay`,
    figure: `${figure} (${main}, rounds ${spread(results[main].map((r) => r[key]))})`,
    unit,
    ...(compared && { baseline: med('memory', key), ratio: med(main, key) / med('memory', key) }),
    gateway: med(main, key),
  });
  return [
    row('events replayed by subscribe {since: 0}', 'count', 'events'),
    row('replay speed, until the subscribe answer', 'events/s', 'eventsPerSec'),
    row('server CPU per replayed event', 'µs', 'serverCpuUsPerEvent'),
  ];
}

interface RecoveryRun {
  windowMs: number;
  before: MemorySample;
  after: MemorySample;
  /** What one follower got when it came back: Socket.IO's missed packets, when it recovered. */
  recovered: boolean;
  missed: number;
}

/** RECOVERY_WINDOW_MS at its default, then 0, each on a fresh gateway. */
export async function recoveryMemory(report: Report, { clients, sends }: { clients: number; sends: number }): Promise<void> {
  log(
    `scenario 5 recovery: ${clients} followers drop their connection, ${sends} sends while they are away; RECOVERY_WINDOW_MS default, then 0`,
  );
  const runs: RecoveryRun[] = [];
  const settings: Array<Record<string, string>> = [{}, { RECOVERY_WINDOW_MS: '0' }];
  for (const env of settings) {
    const run = await whileAway(env, clients, sends, report);
    runs.push(run);
    log(
      `  RECOVERY_WINDOW_MS=${run.windowMs}: heap ${round(run.before.heapUsed / MB)} → ${round(run.after.heapUsed / MB)} MB, RSS ${round(run.before.rss / MB)} → ${round(run.after.rss / MB)} MB; a follower back: recovered ${run.recovered}, ${run.missed} missed events`,
    );
  }
  report.raw.storeRecovery = runs;
  report.add(...recoveryRows(runs[0]!, runs[1]!, clients, sends));
}

async function whileAway(env: Record<string, string>, clients: number, sends: number, report: Report): Promise<RecoveryRun> {
  const gateway = await StoreGateway.start('sqlite-normal', env, `store-recovery-${env.RECOVERY_WINDOW_MS ?? 'default'}`);
  const { server, sender } = gateway;
  const followers = await connectMany(server.url, clients);
  await closedLoop(sender, { window: WINDOW, count: 1000, clientIds: true });
  await gateway.settled();
  await sleep(200);
  const before = await server.memory();
  // Dropping the transport, not a goodbye: Socket.IO keeps a connection it can recover only after a cut.
  for (const follower of followers) follower.io.engine.close();
  await sleep(200);
  report.noteErrors('scenario 5 recovery', (await closedLoop(sender, { window: WINDOW, count: sends, clientIds: true })).errors);
  await gateway.settled();
  await sleep(200);
  const after = await server.memory();
  const back = await comeBack(followers[0]!);
  for (const follower of followers) closeClient(follower);
  await gateway.close();
  return { windowMs: Number(server.details.RECOVERY_WINDOW_MS), before, after, ...back };
}

/** Reconnects a dropped follower and counts what it is sent without asking, until nothing more comes. */
async function comeBack(follower: Client): Promise<{ recovered: boolean; missed: number }> {
  let missed = 0;
  const count = (event: string) => {
    if (MISSED_EVENTS.includes(event)) missed += 1;
  };
  follower.onAny(count);
  const connected = new Promise<void>((resolve) => follower.once('connect', resolve));
  follower.connect();
  await connected;
  await untilQuiet(follower, MISSED_EVENTS, 500);
  follower.offAny(count);
  return { recovered: follower.recovered === true, missed };
}

function recoveryRows(withWindow: RecoveryRun, without: RecoveryRun, clients: number, sends: number): Row[] {
  const scenario = `${STORE_SCENARIO} recovery`;
  const grown = (run: RecoveryRun, key: keyof MemorySample) => (run.after[key] - run.before[key]) / MB;
  const away = `${clients} followers away, ${sends.toLocaleString('en-US')} sends`;
  const packets = withWindow.missed || sends * EVENTS_PER_SEND;
  const perPacket = ((grown(withWindow, 'heapUsed') - grown(without, 'heapUsed')) * MB) / packets;
  const row = (figure: string, unit: string, baseline: number, gateway: number): Row => ({ scenario, figure, unit, baseline, gateway });
  return [
    row(
      `heap growth (after GC), ${away}: window 0 | ${withWindow.windowMs} ms`,
      'MB',
      grown(without, 'heapUsed'),
      grown(withWindow, 'heapUsed'),
    ),
    row(`RSS growth (after GC), same: window 0 | ${withWindow.windowMs} ms`, 'MB', grown(without, 'rss'), grown(withWindow, 'rss')),
    row('events a follower gets back by itself on reconnecting', 'count', without.missed, withWindow.missed),
    { scenario, figure: '  heap per broadcast packet kept for recovery', unit: 'B', gateway: perPacket },
  ];
}
