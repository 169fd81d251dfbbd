import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDEMPOTENCY_TTL_MS, IdempotencyCache } from '../../src/sessions/idempotency';

/** A run that counts its calls and answers `value`. */
function counted() {
  let runs = 0;
  return {
    run: (value: number) => async () => {
      runs += 1;
      return value;
    },
    get runs() {
      return runs;
    },
  };
}

describe('IdempotencyCache', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a known key with its first result, without running again', async () => {
    const cache = new IdempotencyCache<number>(10);
    const calls = counted();
    expect(await cache.run('a', calls.run(1))).toBe(1);
    expect(await cache.run('a', calls.run(2))).toBe(1);
    expect(calls.runs).toBe(1);
  });

  it('gives a retry that arrives while the first run is still going the same result', async () => {
    const cache = new IdempotencyCache<number>(10);
    let finish!: (value: number) => void;
    const first = cache.run('a', () => new Promise<number>((resolve) => (finish = resolve)));
    const retry = cache.run('a', async () => 2);
    finish(1);
    expect(await Promise.all([first, retry])).toEqual([1, 1]);
  });

  it('forgets a failure, so the key may be tried again', async () => {
    const cache = new IdempotencyCache<number>(10);
    await expect(cache.run('b', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.run('b', async () => 3)).toBe(3);
  });

  it('keeps the failures keepFailure picks (a send that may have gone out) and answers them again', async () => {
    const unconfirmed = Object.assign(new Error('may have gone out'), { code: 'send_unconfirmed' });
    const cache = new IdempotencyCache<number>(10, { keepFailure: (error) => (error as { code?: string }).code === 'send_unconfirmed' });
    const calls = counted();
    await expect(cache.run('kept', () => Promise.reject(unconfirmed))).rejects.toBe(unconfirmed);
    await expect(cache.run('kept', calls.run(1))).rejects.toBe(unconfirmed);
    await expect(cache.run('other', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await cache.run('other', calls.run(2))).toBe(2);
    expect(calls.runs).toBe(1);
  });

  it('drops the oldest key once it holds more than maxEntries', async () => {
    const cache = new IdempotencyCache<number>(2);
    const calls = counted();
    await cache.run('a', calls.run(1));
    await cache.run('b', calls.run(2));
    await cache.run('c', calls.run(3));
    expect(await cache.run('c', calls.run(30))).toBe(3);
    expect(await cache.run('b', calls.run(20))).toBe(2);
    expect(await cache.run('a', calls.run(10))).toBe(10);
    expect(calls.runs).toBe(4);
  });

  it('remembers a key for ttlMs, then runs it afresh', async () => {
    vi.useFakeTimers();
    const cache = new IdempotencyCache<number>(10, { ttlMs: 1000 });
    const calls = counted();
    await cache.run('a', calls.run(1));
    vi.advanceTimersByTime(999);
    expect(await cache.run('a', calls.run(2))).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await cache.run('a', calls.run(3))).toBe(3);
    expect(calls.runs).toBe(2);
  });

  it('remembers for a day by default', async () => {
    vi.useFakeTimers();
    const cache = new IdempotencyCache<number>(10);
    const calls = counted();
    await cache.run('a', calls.run(1));
    vi.advanceTimersByTime(IDEMPOTENCY_TTL_MS - 1);
    expect(await cache.run('a', calls.run(2))).toBe(1);
    vi.advanceTimersByTime(1);
    expect(await cache.run('a', calls.run(3))).toBe(3);
  });
});
