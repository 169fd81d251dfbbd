/**
 * `npm run bench:attacks`: the hostile-client figures of issue 11 (breaks 2 and 10), measured
 * against the real gateway (sandbox engine) in a child process on 127.0.0.1. Every attack is
 * bounded in count and time and stops by itself; see docs/security.md ("Measured") for results.
 *
 *   memory    20 connections that never authenticate announce a binary event with 10 attachments
 *             and send 9 frames of 10 MB each: the gateway's RSS before, while they are held, after.
 *   guess     key guessing for 5 s: CONNECT packets with wrong keys (pipelined where the connection
 *             stays open), reconnecting when closed: refusals per second, connections, log lines.
 *   flood     one authenticated connection sending 1,000 / 2,000 / 4,000 events/s for up to 5 s:
 *             is it disconnected, and when.
 *   churn     reconnect after every 100 events for 5 s: requests answered ok per second.
 *   post      long-polling POSTs of 10 MB and of 256 KiB (one big event; many small events) while a
 *             probe client asks every 25 ms: the answer's status, the probe's worst round trip.
 *   flooders  three polling clients without a key, each opening 4 sessions at a time that try to
 *             connect, for 5 s: the probe's p50/p99 before and during.
 *   flooders-open  three polling clients on a gateway without API_KEY, connected, POSTing 9,000
 *             events (234 kB, under POLLING_MAX_BYTES) at a time.
 *
 * BENCH_ATTACKS=memory,guess,… runs only those. Results: stdout and bench/results/attacks-<time>.json.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { binaryEventHeader, connectPacket, eventPacket, isConnectAck, RawWebSocket } from '../test/support/raw-clients';
import { ADMIN_KEY, ATTACKER_KEY, connectedClient, probeLatency, runAttacker, startTarget, type Target } from './attack-kit';
import { machine, sourceVersion } from './machine';
import { log } from './report';
import { RESULTS_DIR } from './settings';
import { MB, round, sleep } from './stats';

type Figures = Record<string, unknown>;

const WATCHDOG_MS = 280_000;
/** Attacker processes start this long before they attack, so that starting Node and tsx is not measured. */
const ATTACKER_STARTUP_MS = 2500;

async function withTarget(env: Record<string, string>, run: (target: Target) => Promise<Figures>): Promise<Figures> {
  const target = await startTarget(env);
  try {
    return await run(target);
  } finally {
    await target.stop();
  }
}

/** An authenticated raw WebSocket (key in the CONNECT packet, as the project's client sends it). */
async function authenticatedSocket(url: string): Promise<RawWebSocket | null> {
  const socket = await RawWebSocket.open(url);
  if (!socket) return null;
  await socket.send(connectPacket({ token: ADMIN_KEY }));
  return (await socket.next(isConnectAck)) ? socket : null;
}

async function preauthMemory(): Promise<Figures> {
  const connections = 20;
  const attachments = 10;
  return withTarget({ API_KEY: ADMIN_KEY }, async (target) => {
    await sleep(1000);
    const before = target.rssMiB().rss;
    const frame = Buffer.alloc(10 * MB, 1);
    const header = binaryEventHeader('send_whatsapp_message', attachments);
    const sockets = (await Promise.all(Array.from({ length: connections }, () => RawWebSocket.open(target.url)))).filter(
      (s): s is RawWebSocket => s !== null,
    );
    const started = performance.now();
    // One frame short of complete, so the parser keeps waiting for the last attachment.
    await Promise.all(
      sockets.map(async (socket) => {
        await socket.send(header);
        for (let i = 0; i < attachments - 1 && !socket.closed; i += 1) await socket.send(frame);
      }),
    );
    const sentMs = round(performance.now() - started, 0);
    await sleep(1000);
    const held = target.rssMiB();
    const stillOpen = sockets.filter((s) => !s.closed).length;
    await sleep(4000);
    const heldAfter5s = target.rssMiB().rss;
    for (const socket of sockets) socket.close();
    await sleep(2000);
    return {
      connections: sockets.length,
      sentMs,
      rssBeforeMiB: before,
      rssHeld1sMiB: held.rss,
      rssHeld5sMiB: heldAfter5s,
      rssPeakMiB: held.peak,
      rssAfterCloseMiB: target.rssMiB().rss,
      connectionsStillOpen: stillOpen,
    };
  });
}

/** One CONNECT per connection first; where the connection stays open, pipelined batches of 500. */
async function keyGuessing(): Promise<Figures> {
  const durationMs = 5000;
  const isRefusal = (m: string | Buffer) => typeof m === 'string' && m.startsWith('44');
  return withTarget({ API_KEY: ADMIN_KEY }, async (target) => {
    const outputBefore = target.output().length;
    const deadline = performance.now() + durationMs;
    let guesses = 0;
    let answered = 0;
    let connections = 0;
    let refusedHandshakes = 0;
    let mostOnOneConnection = 0;
    const guess = () => connectPacket({ token: `guess-${(guesses += 1)}-0123456789abcdef` });
    while (performance.now() < deadline) {
      const socket = await RawWebSocket.open(target.url);
      if (!socket) {
        refusedHandshakes += 1;
        continue;
      }
      connections += 1;
      for (let batch = 1; !socket.closed && performance.now() < deadline; batch = 500) {
        const from = socket.messages.length;
        for (let i = 0; i < batch; i += 1) void socket.send(guess());
        for (let seen = 0; seen < batch; seen += 1) if (!(await socket.next(isRefusal, 2000, from + seen))) break;
        if (socket.messages.slice(from).filter(isRefusal).length < batch) break;
      }
      const onThis = socket.messages.filter(isRefusal).length;
      answered += onThis;
      mostOnOneConnection = Math.max(mostOnOneConnection, onThis);
      socket.close();
    }
    await sleep(200);
    const logged = target.output().slice(outputBefore).split('\n');
    return {
      durationMs,
      guessesSent: guesses,
      refusalsReceived: answered,
      refusalsPerSecond: round(answered / (durationMs / 1000), 0),
      connections,
      refusedHandshakes,
      mostRefusalsOnOneConnection: mostOnOneConnection,
      refusalsLogged: logged.filter((line) => line.includes('"msg":"refused authentication"')).length,
      blocksLogged: logged.filter((line) => line.includes('"msg":"blocking an address')).length,
    };
  });
}

async function floods(): Promise<Figures> {
  return withTarget({ API_KEY: ADMIN_KEY }, async (target) => {
    const results: Figures = {};
    for (const perSecond of [1000, 2000, 4000]) {
      const socket = await authenticatedSocket(target.url);
      if (!socket) throw new Error('could not authenticate');
      const started = performance.now();
      let sent = 0;
      while (!socket.closed && performance.now() - started < 5000) {
        for (let i = 0; i < perSecond / 100; i += 1) void socket.send(eventPacket('get_active_sessions'));
        sent += perSecond / 100;
        await sleep(10);
      }
      await sleep(300);
      results[`${perSecond}/s`] = socket.closed
        ? { disconnectedAfterMs: round(socket.closed.at - started, 0), eventsSent: sent }
        : { disconnectedAfterMs: null, eventsSent: sent };
      socket.close();
      await sleep(2500); // a flood leaves its address owing a burst (about 2 s) at the new gateway
    }
    return results;
  });
}

async function reconnectChurn(): Promise<Figures> {
  const durationMs = 5000;
  return withTarget({ API_KEY: ADMIN_KEY }, async (target) => {
    const deadline = performance.now() + durationMs;
    let ok = 0;
    let refused = 0;
    let connections = 0;
    while (performance.now() < deadline) {
      const socket = await authenticatedSocket(target.url);
      if (!socket) {
        await sleep(5);
        continue;
      }
      connections += 1;
      const from = socket.messages.length;
      for (let id = 0; id < 100; id += 1) void socket.send(eventPacket('get_active_sessions', undefined, id));
      const acks = (m: string | Buffer) => typeof m === 'string' && m.startsWith('43');
      const waitUntil = performance.now() + 2000;
      while (socket.messages.slice(from).filter(acks).length < 100 && !socket.closed && performance.now() < waitUntil) await sleep(1);
      const answers = socket.messages.slice(from).filter(acks) as string[];
      ok += answers.filter((m) => m.includes('"ok":true')).length;
      refused += answers.filter((m) => m.includes('"ok":false')).length;
      socket.close();
    }
    return { durationMs, connections, okPerSecond: round(ok / (durationMs / 1000), 0), refused };
  });
}

async function bigPosts(): Promise<Figures> {
  const bodies = (size: number): Record<string, string> => ({
    [`one event of ${size} bytes`]: eventPacket('send_whatsapp_message', {
      sessionId: 'x',
      to: '6281234567890',
      message: 'a'.repeat(size - 100),
    }),
    [`${Math.floor(size / 26)} small events`]: Array.from({ length: Math.floor(size / 26) }, () => eventPacket('get_active_sessions')).join(
      '\x1e',
    ),
  });
  // The attacker has a key and an address of its own, so the probe's buckets stay its own.
  return withTarget({ API_KEY: `${ADMIN_KEY},${ATTACKER_KEY}` }, async (target) => {
    const probe = await connectedClient(target.url, ADMIN_KEY);
    const results: Figures = {};
    try {
      for (const [shape, body] of Object.entries({ ...bodies(10_000_000), ...bodies(256 * 1024) })) {
        const file = path.join(os.tmpdir(), `wa-gateway-attack-body-${process.pid}`);
        await fs.writeFile(file, body);
        const startAt = Date.now() + ATTACKER_STARTUP_MS;
        const posted = runAttacker(['post', target.url, '127.0.0.2', String(startAt), ATTACKER_KEY, file]);
        await sleep(startAt - Date.now());
        const latency = await probeLatency(
          probe,
          posted.then(() => sleep(500)),
        );
        await fs.rm(file);
        results[shape] = { bytes: body.length, ...(await posted), probeWorstMs: latency.max, probeP99Ms: latency.p99 };
        await sleep(2500);
      }
    } finally {
      probe.close();
    }
    return results;
  });
}

/**
 * Three polling clients without a key (each in its own process, from 127.0.0.2-4), for 5 s. On a gateway with
 * API_KEY each keeps four sessions trying to connect without a key; on one without API_KEY
 * (every client "keyless") each connects and POSTs 9,000 events (234 kB, under POLLING_MAX_BYTES) at a time.
 */
async function keylessFlooders(gatewayHasKey: boolean): Promise<Figures> {
  const flooders = 3;
  const sessionsEach = gatewayHasKey ? 4 : 1;
  const durationMs = 5000;
  return withTarget(gatewayHasKey ? { API_KEY: ADMIN_KEY } : {}, async (target) => {
    const probe = await connectedClient(target.url, gatewayHasKey ? ADMIN_KEY : undefined);
    try {
      const quiet = await probeLatency(probe, sleep(2000));
      const startAt = Date.now() + ATTACKER_STARTUP_MS;
      const running = Promise.all(
        Array.from({ length: flooders }, (_, i) =>
          runAttacker(['flood', target.url, `127.0.0.${i + 2}`, String(startAt), String(durationMs), String(sessionsEach), '9000']),
        ),
      );
      await sleep(startAt - Date.now());
      const during = await probeLatency(probe, running);
      return { durationMs, flooders, sessionsEach, flooderCounts: await running, probeQuiet: quiet, probeDuringFlood: during };
    } finally {
      probe.close();
    }
  });
}

const ATTACKS: Record<string, () => Promise<Figures>> = {
  memory: preauthMemory,
  guess: keyGuessing,
  flood: floods,
  churn: reconnectChurn,
  post: bigPosts,
  flooders: () => keylessFlooders(true),
  'flooders-open': () => keylessFlooders(false),
};

async function main(): Promise<void> {
  const watchdog = setTimeout(() => {
    log(`bench:attacks still running after ${WATCHDOG_MS / 1000} s, giving up`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  const only = (process.env.BENCH_ATTACKS ?? Object.keys(ATTACKS).join(',')).split(',').map((s) => s.trim());
  const results: Record<string, Figures> = {};
  for (const name of only) {
    const attack = ATTACKS[name];
    if (!attack) throw new Error(`unknown attack "${name}" (${Object.keys(ATTACKS).join(', ')})`);
    log(`attack: ${name}`);
    results[name] = await attack();
    console.log(JSON.stringify({ [name]: results[name] }, null, 2));
  }
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `attacks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await fs.writeFile(file, JSON.stringify({ machine: { ...machine(), ...sourceVersion() }, results }, null, 2));
  log(`written: ${file}`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
