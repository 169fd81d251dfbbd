/** Process checks that count a zombie (killed, waiting for a parent or an init to reap it) as gone. */
import fs from 'node:fs';

interface ProcessState {
  state: string;
  processGroup: number;
}

function readState(pid: number): ProcessState | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state, ppid, pgrp, …
    const [state = '', , processGroup = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, processGroup: Number(processGroup) };
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  const found = readState(pid);
  return found !== null && found.state !== 'Z';
}

/** Pids of the group's members that still run. */
export function runningInGroup(processGroup: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => readState(pid)?.processGroup === processGroup && isRunning(pid));
}
