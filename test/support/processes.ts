/** What /proc says about processes, for tests that check browsers are gone. A zombie (killed, not yet reaped) counts as gone. */
import fs from 'node:fs';

export interface ProcInfo {
  pid: number;
  state: string;
  processGroup: number;
  /** Arguments joined by spaces: Chromium's helpers rewrite theirs into one space-separated string. */
  cmdline: string;
}

export function readProc(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state, ppid, pgrp, …
    const [state = '', , processGroup = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return { pid, state, processGroup: Number(processGroup), cmdline };
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

/** Pids of the group's members that still run. */
export function runningInGroup(processGroup: number): number[] {
  return allProcesses()
    .filter((p) => p.processGroup === processGroup && p.state !== 'Z')
    .map((p) => p.pid);
}
