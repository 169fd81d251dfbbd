/**
 * One attacking client of bench/attacks.ts in a process of its own, so that what it costs to send
 * (encoding a 10 MB body, reading answers) never shows in the probe's latency, which should be
 * the gateway's alone. Prints one JSON line with what it did, then exits.
 *
 *   tsx bench/attacker.ts post <url> <local-address> <start-at> <key> <body-file>   one polling POST of the file's contents
 *   tsx bench/attacker.ts flood <url> <local-address> <start-at> <ms> <sessions> <events-per-post>
 *       polling sessions without a key: each opens, tries to connect, and while connected (a gateway
 *       without API_KEY) POSTs that many events at a time, until <ms> have passed
 *
 * <local-address> is the address to connect from (127.0.0.2, …: a client other than the probe);
 * <start-at> the time (Date.now()) to begin at, so that starting Node and tsx is over by then.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connectPacket, eventPacket, RawPolling } from '../test/support/raw-clients';

async function post(url: string, from: string, key: string, file: string): Promise<object> {
  const body = readFileSync(file, 'utf8');
  const polling = await RawPolling.open(url, {}, `&token=${key}`, from);
  if (!polling) throw new Error('polling handshake refused');
  await polling.post(connectPacket({ token: key }));
  await polling.poll();
  const started = performance.now();
  const status = await polling.post(body);
  return { status, ms: Math.round(performance.now() - started) };
}

async function flood(url: string, from: string, durationMs: number, sessions: number, eventsPerPost: number): Promise<object> {
  const burst = Array.from({ length: eventsPerPost }, () => eventPacket('get_active_sessions')).join('\x1e');
  const stopAt = performance.now() + durationMs;
  const counts = { handshakes: 0, refusedHandshakes: 0, connected: 0, posts: 0 };
  const session = async () => {
    while (performance.now() < stopAt) {
      const polling = await RawPolling.open(url, {}, '', from);
      if (!polling) {
        counts.refusedHandshakes += 1;
        continue;
      }
      counts.handshakes += 1;
      await polling.post(connectPacket());
      const answer = await polling.poll();
      if (!answer?.some((packet) => packet.startsWith('40{"sid"'))) continue;
      counts.connected += 1;
      while (performance.now() < stopAt && (await polling.post(burst)) === 200) {
        counts.posts += 1;
        if ((await polling.poll()) === null) break;
      }
      polling.close();
    }
  };
  await Promise.all(Array.from({ length: sessions }, session));
  return counts;
}

async function main(): Promise<void> {
  const [mode, url, from, startAt, ...args] = process.argv.slice(2);
  if (!url || !from || !startAt) throw new Error('usage: attacker.ts post|flood <url> <local-address> <start-at> …');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const result =
    mode === 'post' ? await post(url, from, args[0]!, args[1]!) : await flood(url, from, Number(args[0]), Number(args[1]), Number(args[2]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
