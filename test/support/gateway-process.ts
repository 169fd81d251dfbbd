/** Child processes as a user starts them: `node …` from the repository root, and the gateway as `npm start` runs it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface NodeProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  exited: Promise<number | null>;
}

export interface GatewayProcess extends NodeProcess {
  url: string;
}

export interface RunOptions {
  /** What to run: the TypeScript entry through tsx (default), or a compiled file. */
  entry?: string;
}

/** `node <args>` from the repository root, with only PATH, HOME and `env` in its environment. */
export function runNode(args: string[], env: Record<string, string> = {}): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export function runMain(env: Record<string, string>, options: RunOptions = {}): NodeProcess {
  const entry = options.entry ?? 'src/main.ts';
  const args = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  return runNode(args, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
}

/** Runs the gateway and resolves once it logs the URL it listens on. */
export async function startMain(env: Record<string, string>, options: RunOptions & { timeoutMs?: number } = {}): Promise<GatewayProcess> {
  const run = runMain(env, options);
  try {
    return { ...run, url: await listeningUrl(run, options.timeoutMs) };
  } catch (error) {
    run.child.kill('SIGKILL');
    throw error;
  }
}

const LISTENING = /"url":"(http:\/\/[^"]+)".*"msg":"gateway listening"/;

/** The URL a gateway process logs once it listens; rejects when it exits first or says nothing within `timeoutMs`. */
export function listeningUrl(run: NodeProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const streams = [run.child.stdout!, run.child.stderr!];
    const check = () => {
      const url = LISTENING.exec(run.output())?.[1];
      if (url) finish(() => resolve(url));
    };
    const fail = (why: string) => finish(() => reject(new Error(`gateway did not start (${why}):\n${run.output()}`)));
    const exited = () => fail('it exited');
    const timer = setTimeout(() => fail(`no "gateway listening" within ${timeoutMs} ms`), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      for (const stream of streams) stream.off('data', check);
      run.child.off('exit', exited);
      settle();
    };
    // runNode's own listeners come first, so output() already holds the chunk that triggers a check.
    for (const stream of streams) stream.on('data', check);
    run.child.once('exit', exited);
    check();
  });
}
