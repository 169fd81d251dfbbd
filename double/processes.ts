/**
 * The Chromium processes of gateways on the double, from /proc (read synchronously, so tests can poll
 * them): which run for a DATA_DIR or one session, and a last-resort kill. A zombie (killed, not yet
 * reaped) counts as gone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseProc, type ProcInfo } from '../src/observability/process-table';

export function readProc(pid: number): ProcInfo | null {
  try {
    return parseProc(pid, fs.readFileSync(`/proc/${pid}/stat`, 'utf8'), fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return null; // gone meanwhile
  }
}

export function allProcesses(): ProcInfo[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is ProcInfo => p !== null);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const profileArg = (cmdline: string) => /(?:^|\s)--user-data-dir=(\S+)/.exec(cmdline)?.[1];

/**
 * Running (non-zombie) Chromium processes whose command line holds `--user-data-dir=<dataDir>/…`
 * (only `<dataDir>/session-<sessionId>` when given):
 * the browser, its zygotes, GPU, utility and renderer processes. (Chromium's crashpad handlers carry no
 * profile path; they exit with their browser.)
 */
export function chromiumProcesses(dataDir: string, sessionId?: string): number[] {
  const matches =
    sessionId === undefined
      ? (profile: string) => profile.startsWith(dataDir.endsWith(path.sep) ? dataDir : dataDir + path.sep)
      : (profile: string) => profile === path.join(dataDir, `session-${sessionId}`);
  return allProcesses()
    .filter((p) => p.state !== 'Z' && matches(profileArg(p.cmdline) ?? ''))
    .map((p) => p.pid);
}

/**
 * Waits (up to `timeoutMs`: a SIGKILLed process takes a moment to become a zombie) until no Chromium
 * process of `dataDir` (or of one session) runs; throws with what is left.
 */
export async function expectNoChromium(dataDir: string, sessionId?: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (chromiumProcesses(dataDir, sessionId).length && Date.now() < deadline) await sleep(25);
  const left = chromiumProcesses(dataDir, sessionId).map((pid) => {
    const p = readProc(pid);
    return p ? `${pid} ${p.state} pgid=${p.processGroup} ${/--type=\S+/.exec(p.cmdline)?.[0] ?? 'browser'}` : `${pid} gone`;
  });
  if (left.length) throw new Error(`Chromium processes left after ${timeoutMs} ms:\n${left.join('\n')}`);
}

/** Main browser processes (no `--type=`) of the sessions under `dataDir`, one entry per browser. */
export function browserMainProcesses(dataDir: string): Array<{ sessionId: string; pid: number }> {
  return allProcesses().flatMap((p) => {
    const profile = profileArg(p.cmdline);
    if (p.state === 'Z' || !profile || path.dirname(profile) !== dataDir || /(?:^|\s)--type=/.test(p.cmdline)) return [];
    return [{ sessionId: path.basename(profile).replace(/^session-/, ''), pid: p.pid }];
  });
}

/** Main browser processes per session id, for the sessions under `dataDir`. */
export function browserMainPids(dataDir: string): Map<string, number> {
  return new Map(browserMainProcesses(dataDir).map((p) => [p.sessionId, p.pid]));
}

export function browserMainPid(dataDir: string, sessionId: string): number | undefined {
  return browserMainPids(dataDir).get(sessionId);
}

/** Last-resort clean-up for afterAll/finally: SIGKILL every Chromium of `dataDir` (and its group). */
export function killChromium(dataDir: string): number {
  const pids = chromiumProcesses(dataDir);
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // not a group leader, or already gone
      }
    }
  }
  return pids.length;
}
