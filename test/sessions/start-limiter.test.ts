import { afterEach, describe, expect, it, vi } from 'vitest';
import { StartLimiter } from '../../src/sessions/start-limiter';

describe('StartLimiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never runs more than its limit at once, newcomers included', async () => {
    vi.useFakeTimers();
    const limiter = new StartLimiter(2);
    let running = 0;
    let maxRunning = 0;
    const task = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };
    const first = Array.from({ length: 5 }, () => limiter.run(task));
    await vi.advanceTimersByTimeAsync(7);
    const late = Array.from({ length: 5 }, () => limiter.run(task));
    await vi.runAllTimersAsync();
    await Promise.all([...first, ...late]);
    expect(maxRunning).toBe(2);
  });

  it('starts waiting tasks in arrival order', async () => {
    const limiter = new StartLimiter(1);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => limiter.run(async () => void order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('gives the slot of a failed task to the next one, and passes on its result or error', async () => {
    const limiter = new StartLimiter(1);
    const failed = limiter.run(() => Promise.reject(new Error('no browser')));
    const next = limiter.run(async () => 'launched');
    await expect(failed).rejects.toThrow('no browser');
    await expect(next).resolves.toBe('launched');
  });
});
