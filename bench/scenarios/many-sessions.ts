/**
 * Scenario 3: many sandbox sessions starting at once. Each round starts a
 * fresh gateway, one connection following everything, a warm-up session,
 * then start_session for all sessions together. Measured: time until all are
 * connected, the server's CPU and event-loop delay over the burst, and its
 * memory per session (after GC) once they are connected.
 */
import { performance } from 'node:perf_hooks';
import { allConnected, call, closeClient, connectClient, ok, startSession } from '../clients';
import { log, type Report, type Row } from '../report';
import { medianOf } from '../rounds';
import { ServerChild } from '../server-child';
import { MAX_CONCURRENT_STARTS, QUICK } from '../settings';
import { KB, round, sleep } from '../stats';

export const SESSIONS = {
  sessions: QUICK ? 50 : 200,
  rounds: QUICK ? 1 : 3,
  /** Raised for the sandbox (no browser to launch), then the default 2 for comparison. */
  concurrentStarts: MAX_CONCURRENT_STARTS,
};

type Round = {
  connectMs: number;
  eldP99: number;
  eldMax: number;
  heapPerSessionKb: number;
  rssPerSessionKb: number;
  externalPerSessionKb: number;
  cpuMs: number;
};

export async function manySessions(report: Report): Promise<void> {
  const { sessions: n, rounds } = SESSIONS;
  const raw: Record<string, Round[]> = (report.raw.sessions = {});
  for (const starts of SESSIONS.concurrentStarts) {
    log(`scenario 3: ${n} sandbox sessions, MAX_CONCURRENT_STARTS=${starts}, ${rounds} rounds (fresh gateway each)`);
    const results: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      const last = await burst(starts, r);
      results.push(last);
      log(
        `  round ${r + 1}/${rounds}: all connected in ${Math.round(last.connectMs)} ms, ELD p99 ${round(last.eldP99)} ms, heap ${round(last.heapPerSessionKb)} KB/session, RSS ${round(last.rssPerSessionKb)} KB/session`,
      );
    }
    raw[`MAX_CONCURRENT_STARTS=${starts}`] = results;
    report.add(...tableRows(starts, results));
  }
}

/** One round: a fresh gateway, and all sessions started together. */
async function burst(starts: number, r: number): Promise<Round> {
  const n = SESSIONS.sessions;
  const server = await ServerChild.start(
    'gateway',
    { MAX_SESSIONS: String(n + 10), MAX_CONCURRENT_STARTS: String(starts) },
    `sessions-${starts}-${r}`,
  );
  const client = await connectClient(server.url);
  await startSession(client, 'warmup'); // loads the lazy paths (QR rendering, storage) before the baseline sample
  await sleep(200);
  const before = await server.memory();
  const ids = Array.from({ length: n }, (_, i) => `s${r}-${i}`);
  const connected = allConnected(client, ids, 60_000);
  await server.windowStart();
  const t0 = performance.now();
  const answers = ids.map((sessionId) => call(client, 'start_session', { sessionId }, 60_000));
  for (const answer of await Promise.all(answers)) ok(answer, 'start_session');
  await connected;
  const connectMs = performance.now() - t0;
  const loop = await server.windowStop();
  await sleep(300);
  const after = await server.memory();
  closeClient(client);
  await server.close();
  const perSessionKb = (key: 'heapUsed' | 'external' | 'rss') => (after[key] - before[key]) / n / KB;
  return {
    connectMs,
    eldP99: loop.eldP99,
    eldMax: loop.eldMax,
    heapPerSessionKb: perSessionKb('heapUsed'),
    externalPerSessionKb: perSessionKb('external'),
    rssPerSessionKb: perSessionKb('rss'),
    cpuMs: loop.cpuUserMs + loop.cpuSystemMs,
  };
}

function tableRows(starts: number, results: Round[]): Row[] {
  const med = (key: keyof Round) => medianOf(results, key);
  const scenario = `3 sessions ×${SESSIONS.sessions}, starts ${starts}`;
  const memoryPerSessionKb = med('heapPerSessionKb') + med('externalPerSessionKb');
  return [
    { scenario, figure: `time until all connected (MAX_CONCURRENT_STARTS=${starts})`, unit: 'ms', gateway: med('connectMs') },
    { scenario, figure: 'server CPU during the burst', unit: 'ms', gateway: med('cpuMs') },
    {
      scenario,
      figure: 'event-loop delay p99 during the burst',
      unit: 'ms',
      gateway: med('eldP99'),
      goal: '< 50 ms',
      met: med('eldP99') < 50,
    },
    { scenario, figure: 'event-loop delay max during the burst', unit: 'ms', gateway: med('eldMax') },
    {
      scenario,
      figure: 'heap + external per session (after GC)',
      unit: 'KB',
      gateway: memoryPerSessionKb,
      goal: '< 1 MB (1024 KB)',
      met: memoryPerSessionKb < 1024 && med('rssPerSessionKb') < 1024,
    },
    {
      scenario,
      figure: 'RSS per session (after GC)',
      unit: 'KB',
      gateway: med('rssPerSessionKb'),
      goal: '< 1 MB (1024 KB)',
      met: med('rssPerSessionKb') < 1024,
    },
  ];
}
