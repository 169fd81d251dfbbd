/** The delivered incoming messages and watermarks of catch-up (issue 15) in SQLite, through the store's group commit. */
import type Database from 'better-sqlite3';
import type { DeliveredIncoming } from '../store';
import type { WriteBatch } from './write-batch';

export class SqliteDelivered implements DeliveredIncoming {
  private readonly insert;
  private readonly has;
  private readonly mark;
  private readonly raise;
  private readonly pruneOld;

  constructor(
    db: Database.Database,
    private readonly batch: WriteBatch,
  ) {
    this.insert = db.prepare<[string, string, number]>(
      `INSERT OR IGNORE INTO delivered_incoming (session_id, message_id, recorded_at) VALUES (?, ?, ?)`,
    );
    this.has = db.prepare<[string, string], { found: number }>(
      `SELECT 1 AS found FROM delivered_incoming WHERE session_id = ? AND message_id = ?`,
    );
    this.mark = db.prepare<[string], { at: number }>(`SELECT at FROM catch_up_watermarks WHERE session_id = ?`);
    this.raise = db.prepare<[string, number]>(
      `INSERT INTO catch_up_watermarks (session_id, at) VALUES (?, ?)
       ON CONFLICT (session_id) DO UPDATE SET at = MAX(at, excluded.at)`,
    );
    this.pruneOld = db.prepare<[number]>(`DELETE FROM delivered_incoming WHERE recorded_at < ?`);
  }

  record(sessionId: string, messageId: string, at: number, now: number): Promise<void> {
    return this.batch.run(() => {
      this.insert.run(sessionId, messageId, now);
      this.raise.run(sessionId, at);
    });
  }

  known(sessionId: string, messageIds: readonly string[]): Promise<Set<string>> {
    return this.batch.run(() => new Set(messageIds.filter((id) => this.has.get(sessionId, id) !== undefined)));
  }

  watermark(sessionId: string): Promise<number | undefined> {
    return this.batch.run(() => this.mark.get(sessionId)?.at);
  }

  advance(sessionId: string, at: number): Promise<void> {
    return this.batch.run(() => void this.raise.run(sessionId, at));
  }

  prune(before: number): Promise<number> {
    return this.batch.run(() => this.pruneOld.run(before).changes);
  }
}
