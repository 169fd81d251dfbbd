import { describe, expect, it } from 'vitest';
import { KeyedSerial } from '../../src/sessions/keyed-serial';

/** A task that records when it begins and ends, and finishes only when told. */
function gatedTask(log: string[], name: string) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(`${name}:begin`);
      await gate;
      log.push(`${name}:end`);
      return name;
    },
    open: () => open(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerial', () => {
  it('runs the tasks of one key one at a time, in call order', async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((name) => gatedTask(log, name));
    const results = tasks.map(({ task }) => serial.run('id', task));
    await settle();
    expect(log).toEqual(['a:begin']);
    tasks[0]!.open();
    await settle();
    expect(log).toEqual(['a:begin', 'a:end', 'b:begin']);
    tasks[2]!.open(); // c is ready, but b still runs
    await settle();
    expect(log).toEqual(['a:begin', 'a:end', 'b:begin']);
    tasks[1]!.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end', 'c:begin', 'c:end']);
  });

  it('runs tasks of different keys side by side', async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const first = gatedTask(log, 'x');
    const second = gatedTask(log, 'y');
    const results = [serial.run('one', first.task), serial.run('two', second.task)];
    await settle();
    expect(log).toEqual(['x:begin', 'y:begin']);
    second.open();
    first.open();
    expect(await Promise.all(results)).toEqual(['x', 'y']);
  });

  it('goes on after a task that throws or rejects, passing the failure to its caller only', async () => {
    const serial = new KeyedSerial();
    const thrown = serial.run('id', () => {
      throw new Error('sync');
    });
    const rejected = serial.run('id', async () => Promise.reject(new Error('async')));
    const next = serial.run('id', () => 'next');
    await expect(thrown).rejects.toThrow('sync');
    await expect(rejected).rejects.toThrow('async');
    expect(await next).toBe('next');
  });

  it('forgets a key once its last task has settled', async () => {
    const serial = new KeyedSerial();
    const gate = gatedTask([], 'a');
    const running = serial.run('busy', gate.task);
    void serial.run('quick', () => 1);
    expect(serial.busyKeys().sort()).toEqual(['busy', 'quick']);
    await settle();
    expect(serial.busyKeys()).toEqual(['busy']);
    gate.open();
    await running;
    await settle();
    expect(serial.busyKeys()).toEqual([]);
  });
});
