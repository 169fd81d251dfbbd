import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SendQueue } from '../../src/sessions/send-queue';

/** Jobs take (fake) time, so the tests run the clock instead of waiting on it. */
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SendQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

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
    const results = Promise.all([queue.push(job(1, 30)), queue.push(job(2, 1)), queue.push(job(3, 10))]);
    await vi.runAllTimersAsync();
    expect(await results).toEqual([1, 2, 3]);
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
    const firstFails = expect(first).rejects.toThrow('boom');
    await vi.runAllTimersAsync();
    await firstFails;
    await expect(second).resolves.toBe('ok');
  });

  it('spaces the starts of sends by minIntervalMs plus up to jitterMs', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const queue = new SendQueue(10, { minIntervalMs: 100, jitterMs: 40 });
    const begin = Date.now();
    const starts: number[] = [];
    const sends = [1, 2, 3].map(() => queue.push(async () => void starts.push(Date.now() - begin)));
    await vi.runAllTimersAsync();
    await Promise.all(sends);
    expect(starts).toEqual([0, 120, 240]);
  });

  it('queues requests in the order they took their places, whichever got ready first', async () => {
    const queue = new SendQueue(10);
    const order: string[] = [];
    const join = async (name: string, readyAfterMs: number, place = queue.takePlace()) => {
      await delay(readyAfterMs);
      await place.ready;
      const job = queue.push(async () => void order.push(name));
      place.leave();
      return job;
    };
    const slowSend = join('slow send', 30);
    const refused = queue.takePlace();
    const quickAction = join('quick action', 0);
    await vi.advanceTimersByTimeAsync(10);
    refused.leave(); // gave up before its turn: the ones after it still wait for the slow send
    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual([]);
    await vi.runAllTimersAsync();
    await Promise.all([slowSend, quickAction]);
    expect(order).toEqual(['slow send', 'quick action']);
  });
});
