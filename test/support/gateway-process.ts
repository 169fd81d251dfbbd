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
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    const match = /"url":"(http:\/\/[^"]+)".*"msg":"gateway listening"/.exec(run.output());
    if (match) return { ...run, url: match[1]! };
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  run.child.kill('SIGKILL');
  throw new Error(`gateway did not start:\n${run.output()}`);
}
