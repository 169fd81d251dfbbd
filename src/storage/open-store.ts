/** The store STORE names: SQLite in DATA_DIR (the default), or memory. */
import path from 'node:path';
import { MemoryStore } from './memory-store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './store';

export const STORE_FILE = 'gateway-store.sqlite';

export interface StoreSettings {
  kind: 'sqlite' | 'memory';
  sync: 'normal' | 'full';
  dataDir: string;
}

export function openStore({ kind, sync, dataDir }: StoreSettings): Store {
  return kind === 'memory' ? new MemoryStore() : new SqliteStore({ file: path.join(dataDir, STORE_FILE), sync });
}
