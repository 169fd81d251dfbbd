/** The messages between the load generator (bench/run.ts, through bench/server-child.ts) and a server child (bench/server.ts). */

export type ServerKind = 'gateway' | 'baseline';

/** process.memoryUsage() after a double gc(). */
export interface MemorySample {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** Event-loop delay (monitorEventLoopDelay, 1 ms resolution) and CPU time of the server over a window, in ms. */
export interface LoopSample {
  eldP99: number;
  eldMax: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

/** The gateway's store file in DATA_DIR: bytes on disk, and what a read-only look inside finds (all 0 when there is none). */
export interface StoreSample {
  dbBytes: number;
  walBytes: number;
  /** page_count × page_size: the database's size with what is still in the WAL. */
  logicalBytes: number;
  events: number;
  outboxRows: number;
}

export type Command =
  | { id: number; cmd: 'memory' }
  | { id: number; cmd: 'store' }
  | { id: number; cmd: 'window-start' }
  | { id: number; cmd: 'window-stop' }
  | { id: number; cmd: 'close' };

export type Reply =
  | { type: 'ready'; url: string; details: Record<string, string | number | boolean> }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; memory?: MemorySample; loop?: LoopSample; store?: StoreSample; error?: string };
