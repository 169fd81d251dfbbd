/** WAL checkpoints run in a worker thread, not in the commits of the gateway's event loop. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../../src/storage/sqlite/sqlite-store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpointer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('copies the WAL into the database file while the writer goes on, far below the writer’s own mark', async () => {
  const file = path.join(dir, 'store.db');
  const store = new SqliteStore({ file, sync: 'normal' });
  const text = 'x'.repeat(1000);
  const writes = Array.from({ length: 2000 }, (_, i) =>
    store.events.append('s1', 'message_received', { sessionId: 's1', message: { id: `m${i}`, text } } as never, i),
  );
  await Promise.all(writes);
  // About 2.5 MB went to the WAL; the writer's own mark is 40 MB, so only the worker can have copied it.
  await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(2_000_000), { timeout: 5000, interval: 20 });
  await store.close();
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
});
