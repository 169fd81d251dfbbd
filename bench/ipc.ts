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

export type Command =
  { id: number; cmd: 'memory' } | { id: number; cmd: 'window-start' } | { id: number; cmd: 'window-stop' } | { id: number; cmd: 'close' };

export type Reply =
  | { type: 'ready'; url: string; details: Record<string, string | number | boolean> }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; memory?: MemorySample; loop?: LoopSample };
