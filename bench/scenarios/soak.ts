/**
 * Scenario 4: soak. A fresh server each time; one connection sends warm-up
 * messages, then many more in a closed loop, with memory samples after GC
 * before, at checkpoints and after. The gateway runs twice: with a unique
 * clientMessageId on every message (as a client that retries would send;
 * the gateway remembers a small receipt per id, up to SEND_IDEMPOTENCY_MAX)
 * and without one.
 */
import { performance } from 'node:perf_hooks';
import { closeClient, connectClient, startSession } from '../clients';
import type { MemorySample, ServerKind } from '../ipc';
import { closedLoop } from '../load';
import { log, type Report, type Row } from '../report';
import { ServerChild } from '../server-child';
import { QUICK, SESSION_ID } from '../settings';
import { MB, round, sleep } from '../stats';

export const SOAK = {
  messages: QUICK ? 10_000 : 100_000,
  checkpoints: 4,
  warmupMessages: QUICK ? 1000 : 5000,
  /** Requests in flight. */
  window: 64,
};

type System = 'baseline' | 'gateway' | 'gateway-no-id';
const SYSTEMS: System[] = ['baseline', 'gateway', 'gateway-no-id'];

interface Soak {
  before: MemorySample;
  checkpoints: MemorySample[];
  after: MemorySample;
  rate: number;
  seconds: number;
  /** Receipts in the gateway's clientMessageId cache at `before` and at each checkpoint. */
  receiptsBefore: number;
  receipts: number[];
}

export async function soak(report: Report): Promise<void> {
  log(`scenario 4: soak, ${SOAK.messages} messages through one session (window ${SOAK.window}), fresh server each: ${SYSTEMS.join(', ')}`);
  const soaks = {} as Record<System, Soak>;
  for (const system of SYSTEMS) {
    const result = await soakOne(system, report);
    soaks[system] = result;
    const trend = result.checkpoints.map((c) => round(c.heapUsed / MB, 1)).join(' → ');
    log(
      `  ${system}: heap ${round(result.before.heapUsed / MB)} → ${trend} MB, RSS ${round(result.before.rss / MB)} → ${round(result.after.rss / MB)} MB, ${Math.round(result.rate)} msg/s`,
    );
  }
  report.raw.soak = soaks;
  report.add(...tableRows(soaks));
}

async function soakOne(system: System, report: Report): Promise<Soak> {
  const { messages, checkpoints: parts, warmupMessages, window } = SOAK;
  const kind: ServerKind = system === 'baseline' ? 'baseline' : 'gateway';
  const clientIds = system !== 'gateway-no-id';
  const server = await ServerChild.start(kind, {}, `soak-${system}`);
  /** Receipts the gateway holds after `sent` sends with unique ids (none for the baseline or without ids). */
  const cap = Number(server.details.SEND_IDEMPOTENCY_MAX ?? Number.POSITIVE_INFINITY);
  const receiptsAfter = (sent: number) => (system === 'gateway' ? Math.min(cap, sent) : 0);
  const client = await connectClient(server.url);
  if (kind === 'gateway') await startSession(client, SESSION_ID);
  await closedLoop(client, { window, count: warmupMessages, clientIds });
  await sleep(500);
  const before = await server.memory();
  const checkpoints: MemorySample[] = [];
  const receipts: number[] = [];
  const t0 = performance.now();
  let sendMs = 0;
  for (let i = 0; i < parts; i++) {
    const part = await closedLoop(client, { window, count: messages / parts, clientIds });
    sendMs += part.elapsedMs;
    report.noteErrors(`scenario 4 ${system}`, part.errors);
    await sleep(500); // the sandbox's message_ack timers (≤ 150 ms) are done
    checkpoints.push(await server.memory());
    receipts.push(receiptsAfter(warmupMessages + ((i + 1) * messages) / parts));
  }
  const seconds = (performance.now() - t0) / 1000;
  closeClient(client);
  await server.close();
  return {
    before,
    checkpoints,
    after: checkpoints.at(-1)!,
    rate: (messages / sendMs) * 1000,
    seconds,
    receiptsBefore: receiptsAfter(warmupMessages),
    receipts,
  };
}

function tableRows(soaks: Record<System, Soak>): Row[] {
  const scenario = `4 soak ${SOAK.messages / 1000}k msgs`;
  const { baseline: base, gateway: withIds, 'gateway-no-id': noIds } = soaks;
  const growth = (s: Soak) => s.after.heapUsed / s.before.heapUsed;
  const perMessage = (s: Soak) => (s.after.heapUsed - s.before.heapUsed) / SOAK.messages;
  const row = (figure: string, unit: string, baseline: number, gateway: number, more: Partial<Row> = {}): Row => ({
    scenario,
    figure,
    unit,
    baseline,
    gateway,
    ...more,
  });
  return [
    row('heap used before (after GC)', 'MB', base.before.heapUsed / MB, withIds.before.heapUsed / MB),
    row('heap used after (after GC)', 'MB', base.after.heapUsed / MB, withIds.after.heapUsed / MB),
    row('heap after / before (a unique clientMessageId per message)', '×', growth(base), growth(withIds)),
    ...receiptRows(scenario, withIds),
    row('heap used before, without clientMessageId', 'MB', base.before.heapUsed / MB, noIds.before.heapUsed / MB),
    row('heap used after, without clientMessageId', 'MB', base.after.heapUsed / MB, noIds.after.heapUsed / MB),
    row('heap after / before, without clientMessageId', '×', growth(base), growth(noIds), { goal: '≤ 1.10', met: growth(noIds) <= 1.1 }),
    row('heap retained per message, without clientMessageId', 'B', perMessage(base), perMessage(noIds)),
    row('RSS before (after GC)', 'MB', base.before.rss / MB, withIds.before.rss / MB),
    row('RSS after (after GC)', 'MB', base.after.rss / MB, withIds.after.rss / MB),
    row('soak throughput', 'msg/s', base.rate, withIds.rate, { ratio: withIds.rate / base.rate }),
    row('  same, without clientMessageId', 'msg/s', base.rate, noIds.rate, { ratio: noIds.rate / base.rate }),
  ];
}

/**
 * The clientMessageId cache: receipts added over the soak, heap per receipt,
 * and, once the cache is full (SEND_IDEMPOTENCY_MAX reached before the last
 * checkpoint), whether the heap stays within 10 % from then on.
 */
function receiptRows(scenario: string, withIds: Soak): Row[] {
  const held = withIds.receipts.at(-1)!;
  const added = held - withIds.receiptsBefore;
  const rows: Row[] = [
    {
      scenario,
      figure: `  receipts added to the clientMessageId cache (${withIds.receiptsBefore} → ${held})`,
      unit: 'count',
      gateway: added,
    },
    {
      scenario,
      figure: '  heap per receipt = heap growth / receipts added',
      unit: 'B',
      gateway: (withIds.after.heapUsed - withIds.before.heapUsed) / added,
    },
  ];
  const firstFull = withIds.receipts.indexOf(held);
  if (firstFull < withIds.receipts.length - 1) {
    const growth = withIds.after.heapUsed / withIds.checkpoints[firstFull]!.heapUsed;
    rows.push({
      scenario,
      figure: `  heap after / at checkpoint ${firstFull + 1} (cache full from there on)`,
      unit: '×',
      gateway: growth,
      goal: '≤ 1.10',
      met: growth <= 1.1,
    });
  }
  return rows;
}
