/**
 * WAL checkpoints off the event loop. SQLite copies the WAL back into the database file in the commit
 * that takes the WAL past 1,000 pages, and that commit then stalls the gateway for milliseconds (the
 * slowest writes of the store benchmark, docs/performance.md). Here a worker thread with its own
 * connection checkpoints every `intervalMs` instead, PASSIVE: it copies what it can without ever
 * blocking the writer. Under steady writes the WAL never empties that way (SQLite starts it over only
 * when everything was copied before the next write), so the writer keeps a far mark of its own
 * (BACKSTOP_BYTES of WAL) that bounds the file; by then the worker has copied most of it. A checkpoint
 * moves committed data only: what survives kill -9 is the same with or without it.
 */
import { Worker } from 'node:worker_threads';

/**
 * The writer's own checkpoint mark while the worker checkpoints: the WAL's largest size. 10 MB still
 * let one send in a hundred wait for it at 1,000 msg/s (docs/performance.md); 40 MB one in a thousand.
 */
export const BACKSTOP_BYTES = 40 * 1024 * 1024;

// Plain CommonJS run by the worker (eval), so that it loads the same way under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, intervalMs: number) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs, driver: require.resolve('better-sqlite3') } });
    this.worker.unref();
    // A worker that failed leaves the checkpoints to the writer's backstop; nothing is lost either way.
    this.worker.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Stops the worker and waits for it to close its connection (before the writer's own close checkpoints). */
  async stop(): Promise<void> {
    // Unreferenced, the worker would not keep the process alive for this wait: a process with nothing
    // else left to do (a gateway that failed to start) would end there, before its exit code is set.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
