import { describe, expect, it } from 'vitest';
import { IdempotencyCache } from '../../src/sessions/idempotency';
import { SendQueue } from '../../src/sessions/send-queue';
import { StartLimiter } from '../../src/sessions/start-limiter';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SendQueue', () => {
  it('runs jobs one at a time in arrival order, even when earlier ones are slower', async () => {
    const queue = new SendQueue(10);
    const order: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const job = (n: number, ms: number) => async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await delay(ms);
      order.push(n);
      running -= 1;
      return n;
    };
    const results = await Promise.all([queue.push(job(1, 30)), queue.push(job(2, 1)), queue.push(job(3, 10))]);
    expect(results).toEqual([1, 2, 3]);
    expect(order).toEqual([1, 2, 3]);
    expect(maxRunning).toBe(1);
    expect(queue.depth).toBe(0);
  });

  it('refuses at once with queue_full when full, and a failed job does not stop the next', async () => {
    const queue = new SendQueue(2);
    const first = queue.push(() => delay(20).then(() => Promise.reject(new Error('boom'))));
    const second = queue.push(async () => 'ok');
    expect(queue.depth).toBe(2);
    await expect(queue.push(async () => 'too many')).rejects.toMatchObject({ code: 'queue_full' });
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ok');
  });
});

describe('StartLimiter', () => {
  it('never runs more than its limit at once, newcomers included', async () => {
    const limiter = new StartLimiter(2);
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await delay(5);
      running -= 1;
    };
    const first = Array.from({ length: 5 }, () => limiter.run(task));
    await delay(7);
    const late = Array.from({ length: 5 }, () => limiter.run(task));
    await Promise.all([...first, ...late]);
    expect(maxRunning).toBe(2);
  });
});

describe('IdempotencyCache', () => {
  it('answers a key with its first result, forgets failures, expired keys and the oldest past its size', async () => {
    const cache = new IdempotencyCache<number>(2, { ttlMs: 50 });
    let runs = 0;
    const run = (value: number) => async () => {
      runs += 1;
      return value;
    };
    expect(await cache.run('a', run(1))).toBe(1);
    expect(await cache.run('a', run(2))).toBe(1);
    await expect(cache.run('b', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.run('b', run(3))).toBe(3);
    expect(await cache.run('c', run(4))).toBe(4);
    expect(await cache.run('a', run(5))).toBe(5);
    await delay(60);
    expect(await cache.run('c', run(6))).toBe(6);
    expect(runs).toBe(5);
  });
});
