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

  describe('order per chat', () => {
    /** A job that records when it starts and ends, taking `ms` of fake time. */
    const recorder = () => {
      const log: string[] = [];
      let running = 0;
      let maxRunning = 0;
      const job = (name: string, ms: number) => async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        log.push(`start ${name}`);
        await delay(ms);
        log.push(`end ${name}`);
        running -= 1;
      };
      return { log, job, maxRunning: () => maxRunning };
    };

    it('runs jobs of different chats side by side, up to the concurrency, and those of one chat in order', async () => {
      const queue = new SendQueue(10, undefined, 2);
      const { log, job, maxRunning } = recorder();
      const done = Promise.all([
        queue.push(job('a1', 30), { lanes: ['a'] }),
        queue.push(job('a2', 1), { lanes: ['a'] }),
        queue.push(job('b1', 10), { lanes: ['b'] }),
        queue.push(job('c1', 10), { lanes: ['c'] }),
      ]);
      await vi.advanceTimersByTimeAsync(0);
      expect(log).toEqual(['start a1', 'start b1']);
      await vi.runAllTimersAsync();
      await done;
      expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
      expect(log.indexOf('start c1')).toBeLessThan(log.indexOf('end a1'));
      expect(maxRunning()).toBe(2);
      expect(queue.depth).toBe(0);
    });

    it('keeps a job without lanes in its place against every other', async () => {
      const queue = new SendQueue(10, undefined, 4);
      const { log, job } = recorder();
      const done = Promise.all([
        queue.push(job('a', 10), { lanes: ['a'] }),
        queue.push(job('everything', 10)),
        queue.push(job('b', 10), { lanes: ['b'] }),
      ]);
      await vi.runAllTimersAsync();
      await done;
      expect(log).toEqual(['start a', 'end a', 'start everything', 'end everything', 'start b', 'end b']);
    });

    it('starts a job of two chats only when neither has an earlier job left', async () => {
      const queue = new SendQueue(10, undefined, 4);
      const { log, job } = recorder();
      const done = Promise.all([
        queue.push(job('a', 10), { lanes: ['a'] }),
        queue.push(job('b', 20), { lanes: ['b'] }),
        queue.push(job('a+b', 5), { lanes: ['a', 'b'] }),
        queue.push(job('b again', 5), { lanes: ['b'] }),
        queue.push(job('c', 5), { lanes: ['c'] }),
      ]);
      await vi.advanceTimersByTimeAsync(0);
      expect(log).toEqual(['start a', 'start b', 'start c']);
      await vi.runAllTimersAsync();
      await done;
      expect(log.indexOf('start a+b')).toBeGreaterThan(log.indexOf('end b'));
      expect(log.indexOf('start b again')).toBeGreaterThan(log.indexOf('end a+b'));
    });

    it('runs a paced queue one job at a time, whatever the chats', async () => {
      const queue = new SendQueue(10, { minIntervalMs: 50, jitterMs: 0 }, 4);
      const { job, maxRunning } = recorder();
      const done = Promise.all(['a', 'b', 'c'].map((chat) => queue.push(job(chat, 10), { lanes: [chat] })));
      await vi.runAllTimersAsync();
      await done;
      expect(maxRunning()).toBe(1);
    });

    it('cancels only what waits, and is idle once the running jobs end', async () => {
      const queue = new SendQueue(10, undefined, 2);
      const { job } = recorder();
      const a = queue.push(job('a', 10), { lanes: ['a'] });
      const b = queue.push(job('b', 10), { lanes: ['b'] });
      const waiting = queue.push(job('a2', 10), { lanes: ['a'] });
      const cancelled = expect(waiting).rejects.toThrow('stopping');
      await vi.advanceTimersByTimeAsync(0);
      queue.cancelWaiting(new Error('stopping'));
      await cancelled;
      expect(queue.depth).toBe(2);
      const idle = queue.whenIdle(1_000);
      await vi.advanceTimersByTimeAsync(10);
      await idle;
      await Promise.all([a, b]);
      expect(queue.depth).toBe(0);
    });
  });
});
