/**
 * Runs tasks one at a time per key, in the order `run` was called; tasks of different keys run side
 * by side. A key's chain is forgotten once its last task settles, so idle keys cost nothing.
 */
export class KeyedSerial {
  /** Per busy key: settles when its last queued task has. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues `task` behind the key's earlier tasks (synchronously: the call order is the run order). */
  run<T>(key: string, task: () => T | Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running. */
  busyKeys(): string[] {
    return [...this.tails.keys()];
  }
}
