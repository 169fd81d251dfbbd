/** Runs src/main.ts in a child process, as `npm start` would, and finds the URL it listens on. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export interface RunOptions {
  /** What to run: the TypeScript entry through tsx (default), or a compiled file. */
  entry?: string;
}

export function runMain(
  env: Record<string, string>,
  options: RunOptions = {},
): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const entry = options.entry ?? 'src/main.ts';
  const args = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function startMain(env: Record<string, string>, options: RunOptions & { timeoutMs?: number } = {}): Promise<GatewayProcess> {
  const run = runMain(env, options);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"url":"(http:\/\/[^"]+)".*"msg":"gateway listening"/.exec(run.output());
    if (match) return { ...run, url: match[1]! };
    if (run.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  run.child.kill('SIGKILL');
  throw new Error(`gateway did not start:\n${run.output()}`);
}
