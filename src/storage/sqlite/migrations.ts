/**
 * The schema of the embedded store, as migrations: each entry runs once, in order, and SQLite's
 * `user_version` says how many have run. Add a migration at the end; never edit one that shipped.
 */
import type Database from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     session_id TEXT NOT NULL,
     client_message_id TEXT,
     request TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'unknown')),
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     started_at INTEGER,
     message_id TEXT,
     chat_id TEXT,
     sent_at INTEGER,
     ack TEXT,
     error_code TEXT,
     error_message TEXT
   );
   CREATE UNIQUE INDEX outbox_by_client_id ON outbox (session_id, client_message_id) WHERE client_message_id IS NOT NULL;
   CREATE INDEX outbox_by_message_id ON outbox (session_id, message_id) WHERE message_id IS NOT NULL;
   CREATE INDEX outbox_unfinished ON outbox (id) WHERE state IN ('queued', 'sending');
   CREATE INDEX outbox_finished ON outbox (updated_at) WHERE state IN ('sent', 'failed', 'unknown');

   CREATE TABLE event_seq (session_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL) WITHOUT ROWID;
   CREATE TABLE events (
     session_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     event TEXT NOT NULL,
     payload TEXT NOT NULL,
     at INTEGER NOT NULL,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID;
   CREATE INDEX events_by_time ON events (at);`,
  // catch-up after downtime (issue 15): incoming messages delivered to clients, and each session's watermark
  `CREATE TABLE delivered_incoming (
     session_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     recorded_at INTEGER NOT NULL,
     PRIMARY KEY (session_id, message_id)
   ) WITHOUT ROWID;
   CREATE INDEX delivered_incoming_by_time ON delivered_incoming (recorded_at);
   CREATE TABLE catch_up_watermarks (session_id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;`,
  // an ack's time apart from updated_at, so that recording an ack does not move the row in outbox_finished
  `ALTER TABLE outbox ADD COLUMN acked_at INTEGER;`,
];

export class StoreVersionError extends Error {}

/** Brings the database up to the latest schema; refuses one written by a newer gateway. */
export function migrate(db: Database.Database): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > MIGRATIONS.length) {
    throw new StoreVersionError(
      `the store ${db.name} has schema version ${version}, newer than this gateway's ${MIGRATIONS.length}: run the newer gateway, or move the file away`,
    );
  }
  db.transaction(() => {
    for (const [index, sql] of MIGRATIONS.entries()) if (index >= version) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
