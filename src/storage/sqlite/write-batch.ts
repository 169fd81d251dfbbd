/**
 * Group commit: the store's operations are queued, and what is queued by the time the current task's
 * microtasks run (everything one socket read, timer or callback issued) runs in one transaction, so
 * a hundred writes cost one commit instead of a hundred. Not a later turn of the event loop: a send
 * waits for its `sending` record before it is handed over, and that wait must stay short so that
 * pacing spaces the hand-overs evenly. Each
 * caller's promise settles once its transaction has committed: a write that resolved is on disk as
 * before. Operations run in the order they were queued, reads included, so a read sees every write
 * queued before it. One failing operation does not fail the others: the batch is rolled back and its
 * operations run again one transaction each.
 */
import type Database from 'better-sqlite3';

interface Queued {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class WriteBatch {
  private queued: Queued[] = [];
  private readonly rollbackListeners: Array<() => void> = [];
  private readonly runAll;
  private readonly runOne;

  constructor(db: Database.Database) {
    this.runAll = db.transaction((batch: Queued[]) => batch.map((op) => op.run()));
    this.runOne = db.transaction((op: Queued) => op.run());
  }

  /** Queues `operation`; resolves with its result once the transaction it ran in has committed. */
  run<T>(operation: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queued.length === 0) queueMicrotask(() => this.flush());
      this.queued.push({ run: operation, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** `listener` runs after a batch was rolled back, before its operations run again one by one. */
  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  /** Runs what is queued now (the store calls it before closing). */
  flush(): void {
    if (this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    let results: unknown[];
    try {
      results = this.runAll(batch);
    } catch {
      this.rolledBack();
      for (const op of batch) this.settleAlone(op);
      return;
    }
    batch.forEach((op, index) => op.resolve(results[index]));
  }

  private settleAlone(op: Queued): void {
    try {
      op.resolve(this.runOne(op));
    } catch (error) {
      this.rolledBack();
      op.reject(error);
    }
  }

  /** A listener that fails (the database closed, say) must not keep the operations from being answered. */
  private rolledBack(): void {
    for (const listener of this.rollbackListeners) {
      try {
        listener();
      } catch {
        // what it would have recounted is recounted at the next open
      }
    }
  }
}
