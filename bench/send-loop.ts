/** The send loop both sides of `npm run bench:engine` run: the bot against the gateway, and the bare script. */
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from './engine-ipc';

export interface LoopResult {
  latenciesMs: number[];
  failed: number;
}

/**
 * `count` calls of `send(n)`, at most `inFlight` at a time, each latency from the call to its answer;
 * with `ratePerSec`, call n starts no earlier than n / ratePerSec seconds after the first (an offered
 * load, the same for both systems, instead of as fast as each can).
 */
export async function sendLoop(
  count: number,
  inFlight: number,
  send: (n: number) => Promise<unknown>,
  ratePerSec?: number,
): Promise<LoopResult> {
  const latenciesMs: number[] = [];
  const started = now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const due = ratePerSec ? started + (n * 1000) / ratePerSec - now() : 0;
      if (due > 0) await sleep(due);
      const began = now();
      await send(n).then(
        () => latenciesMs.push(now() - began),
        () => (failed += 1),
      );
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { latenciesMs, failed };
}
