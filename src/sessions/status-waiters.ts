/** What waits for a session's next status change (a send waiting for a reconnecting session). */
export class StatusWaiters {
  private readonly waiters = new Set<() => void>();

  /** Resolves at the next wakeAll(), or after `timeoutMs`. */
  next(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
