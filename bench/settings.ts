/**
 * What the environment can change about `npm run bench`, and what every
 * scenario shares. Each scenario keeps its own counts and durations at the
 * top of its file (bench/scenarios/).
 *
 *   BENCH_ROUNDS=n            measured rounds per scenario (default 7 for scenario 1, 5 for 2; medians are reported)
 *   BENCH_QUICK=1             short phases and smaller counts, for a smoke test (figures not comparable)
 *   BENCH_ONLY=1,2,3,4,5      run only these scenarios
 *   BENCH_CPU_PROF=1          run the gateway children with --cpu-prof (profiles in bench/results/profiles/)
 *   BENCH_MAX_CONCURRENT_STARTS=16,2 MAX_CONCURRENT_STARTS values for scenario 3
 *   BENCH_STORES=sqlite-normal,sqlite-full,memory  the store settings scenario 5 compares (STORE, STORE_SYNC)
 *   BENCH_STORE_PARTS=sends,disk,replay,recovery   the parts of scenario 5 to run
 *   BENCH_BEFORE_TREE=/path/to/checkout  scenario 5's sends also measure that checkout's gateway (its bench/server.ts
 *                             and src/, e.g. a worktree of the commit before durable delivery), in the same rounds
 */
import path from 'node:path';

export const QUICK = process.env.BENCH_QUICK === '1';
export const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
export const ONLY = listSetting('BENCH_ONLY', ['1', '2', '3', '4', '5']);
export const MAX_CONCURRENT_STARTS = (process.env.BENCH_MAX_CONCURRENT_STARTS ?? '16,2').split(',').map(Number);

/** The gateway settings each store system of scenario 5 runs with; `before` is BENCH_BEFORE_TREE's gateway, as it is. */
export const STORE_SYSTEMS = {
  'sqlite-normal': { STORE: 'sqlite', STORE_SYNC: 'normal' },
  'sqlite-full': { STORE: 'sqlite', STORE_SYNC: 'full' },
  memory: { STORE: 'memory' },
  before: {},
} as const satisfies Record<string, Record<string, string>>;
export type StoreSystem = keyof typeof STORE_SYSTEMS;
export const BEFORE_TREE = process.env.BENCH_BEFORE_TREE;
export const STORES = listSetting('BENCH_STORES', ['sqlite-normal', 'sqlite-full', 'memory'] as StoreSystem[]);
if (BEFORE_TREE) STORES.add('before');
export const STORE_PARTS = listSetting('BENCH_STORE_PARTS', ['sends', 'disk', 'replay', 'recovery'] as const);

/** A comma-separated setting whose items must be among `allowed` (all of them when unset). */
function listSetting<T extends string>(name: string, allowed: readonly T[]): Set<T> {
  const items = (process.env[name] ?? allowed.join(',')).split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')} (one or more of ${allowed.join(', ')})`);
  return new Set(items as T[]);
}

/** Measured rounds: BENCH_ROUNDS when set, otherwise `full` (or `quick` with BENCH_QUICK=1). */
export function rounds(full: number, quick: number): number {
  if (process.env.BENCH_ROUNDS) return Number(process.env.BENCH_ROUNDS);
  return QUICK ? quick : full;
}

/** The whole run gives up after this long: 290 s for scenarios 1–4, 420 s for scenario 5. */
export const WATCHDOG_MS = ((['1', '2', '3', '4'] as const).some((s) => ONLY.has(s)) ? 290_000 : 0) + (ONLY.has('5') ? 420_000 : 0);
export const RESULTS_DIR = path.join(__dirname, 'results');

/** The session every request goes through, the number it sends to and the number messages come from. */
export const SESSION_ID = 'bench';
export const TO = '6281234567890';
export const FROM = '6289876543210';

/**
 * Gateway settings for every child: echo off, instant pairing, silent logs.
 * The rate limits (per connection, default 50/s; per key; per address: every
 * bench client is 127.0.0.1) are raised out of the way: the bench measures
 * what the gateway costs per message, not the limit. The limiter still runs
 * on every event. Send pacing and "typing…" stay off (their defaults, set
 * here so an exported SEND_MIN_INTERVAL_MS cannot slow the sends down).
 * Variables an older gateway does not know are ignored by loadConfig.
 */
export const GATEWAY_ENV = {
  SANDBOX_ECHO: '0',
  SANDBOX_SCAN_MS: '0',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_SEC: '1000000',
  RATE_LIMIT_BURST: '1000000',
  RATE_LIMIT_KEY_PER_SEC: '1000000',
  RATE_LIMIT_IP_PER_SEC: '1000000',
  SEND_MIN_INTERVAL_MS: '0',
  SEND_JITTER_MS: '0',
  SEND_TYPING_MS: '0',
};
