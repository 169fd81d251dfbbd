/**
 * The load generator's handle on a server child process (bench/server.ts):
 * start it, ask it for its memory, event-loop delay and CPU time, close it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command, LoopSample, MemorySample, Reply, ServerKind, StoreSample } from './ipc';
import { CPU_PROF, GATEWAY_ENV, RESULTS_DIR } from './settings';
import { sleep } from './stats';

type Answer = Extract<Reply, { type: 'reply' }>;
/** A command without its id (Omit over each member of the union). */
type Request = Command extends infer C ? (C extends Command ? Omit<C, 'id'> : never) : never;

const children = new Set<ChildProcess>();

export class ServerChild {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();

  private constructor(
    readonly kind: ServerKind,
    private readonly child: ChildProcess,
    readonly url: string,
    readonly details: Record<string, string | number | boolean>,
  ) {
    child.on('message', (reply: Reply) => {
      if (reply.type !== 'reply') return;
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  /**
   * Forks bench/server.ts (of `tree`, another checkout, when given); `env` adds to the gateway
   * settings; `label` names the profile folder with BENCH_CPU_PROF=1.
   */
  static async start(kind: ServerKind, env: Record<string, string> = {}, label: string = kind, tree?: string): Promise<ServerChild> {
    const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
    // One folder per child: V8 writes one profile per thread (the main thread, and tsx's loader thread).
    const profile =
      CPU_PROF && kind === 'gateway'
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS_DIR, 'profiles', `${label}-${Date.now()}`)}`]
        : [];
    const script = tree ? path.join(tree, 'bench', 'server.ts') : path.join(__dirname, 'server.ts');
    const child = fork(script, [kind], {
      execArgv: ['--expose-gc', '--import', tsxLoader, ...profile],
      env: { ...process.env, ...(kind === 'gateway' ? GATEWAY_ENV : {}), ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const ready = await whenReady(child, label);
    return new ServerChild(kind, child, ready.url, ready.details);
  }

  /** Memory after a double gc(). */
  async memory(): Promise<MemorySample> {
    return (await this.request({ cmd: 'memory' })).memory!;
  }

  /** The size and contents of the gateway's store file. */
  async store(): Promise<StoreSample> {
    return (await this.request({ cmd: 'store' })).store!;
  }

  /** Starts measuring event-loop delay and CPU time. */
  async windowStart(): Promise<void> {
    await this.request({ cmd: 'window-start' });
  }

  /** Event-loop delay and CPU time since windowStart(). */
  async windowStop(): Promise<LoopSample> {
    return (await this.request({ cmd: 'window-stop' })).loop!;
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.request({ cmd: 'close' }).catch(() => undefined);
    await Promise.race([exited, sleep(10_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private request(command: Request): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.kind} server: no answer to ${command.cmd}`)), 30_000);
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.error) reject(new Error(`${this.kind} server: ${command.cmd}: ${answer.error}`));
        else resolve(answer);
      });
      this.child.send({ ...command, id });
    });
  }
}

function whenReady(child: ChildProcess, label: string): Promise<Extract<Reply, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} server did not start within 30 s`)), 30_000);
    child.on('message', (reply: Reply) => {
      if (reply.type === 'ready') resolve(reply);
      if (reply.type === 'failed') reject(new Error(`${label} server failed: ${reply.error}`));
      clearTimeout(timer);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} server exited with ${code}`));
    });
  });
}

/** The process ids of the server children still running. */
export function liveServerPids(): number[] {
  return [...children].map((child) => child.pid).filter((pid): pid is number => pid !== undefined);
}

/** Lets each server child clean up its temporary folder (it exits when the IPC channel closes), then kills what is left. */
export async function stopServers(): Promise<void> {
  const exited = [...children].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children) if (child.connected) child.disconnect();
  await Promise.race([Promise.all(exited), sleep(3000)]);
  for (const child of children) child.kill('SIGKILL');
}
