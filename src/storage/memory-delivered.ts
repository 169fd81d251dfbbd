/** The delivered incoming messages and watermarks of catch-up (issue 15), in memory (STORE=memory). */
import type { DeliveredIncoming } from './store';

export class MemoryDelivered implements DeliveredIncoming {
  /** Recorded time by message id, per session. */
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly watermarks = new Map<string, number>();

  async record(sessionId: string, messageId: string, at: number, now: number): Promise<void> {
    const ids = this.ids.get(sessionId) ?? this.ids.set(sessionId, new Map()).get(sessionId)!;
    if (!ids.has(messageId)) ids.set(messageId, now);
    await this.advance(sessionId, at);
  }

  async known(sessionId: string, messageIds: readonly string[]): Promise<Set<string>> {
    const ids = this.ids.get(sessionId);
    return new Set(messageIds.filter((id) => ids?.has(id)));
  }

  async watermark(sessionId: string): Promise<number | undefined> {
    return this.watermarks.get(sessionId);
  }

  async advance(sessionId: string, at: number): Promise<void> {
    this.watermarks.set(sessionId, Math.max(at, this.watermarks.get(sessionId) ?? at));
  }

  async prune(before: number): Promise<number> {
    let removed = 0;
    for (const ids of this.ids.values()) {
      for (const [id, recordedAt] of ids) {
        if (recordedAt >= before) continue;
        ids.delete(id);
        removed += 1;
      }
    }
    return removed;
  }
}
