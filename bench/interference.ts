/**
 * How much CPU other processes on the machine used while a scenario ran:
 * the machine's busy time (/proc/stat) minus this process, its reaped
 * children and its live server children (/proc/<pid>/stat). On a shared
 * 2-core machine this is what makes latency figures noisy; the bench
 * reports it next to them. Linux only; elsewhere it reports nothing.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';

interface Snapshot {
  machineBusy: number;
  machineTotal: number;
  ours: number;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime (+ cutime + cstime when `withChildren`), in clock ticks. */
function processTicks(pid: number | 'self', withChildren: boolean): number {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  // The command name (field 2) may contain spaces; the fields after it start past the last ')'.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // fields[0] is field 3 (state): utime is field 14 → index 11.
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
  return utime + stime + (withChildren ? cutime + cstime : 0);
}

function snapshot(liveChildren: Iterable<number>): Snapshot | undefined {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  let ours = processTicks('self', true);
  for (const pid of liveChildren) ours += processTicks(pid, false);
  return { machineBusy: total - idle - iowait, machineTotal: total, ours };
}

export interface Interference {
  /** CPU used by other processes, in cores (0 … nproc), averaged over the interval. */
  otherCores: number;
  /** CPU used by the bench itself (load generator + servers), in cores. */
  benchCores: number;
}

/** Starts an interval; the returned function ends it. */
export function measureInterference(liveChildren: () => Iterable<number>): () => Interference | undefined {
  const start = snapshot(liveChildren());
  return () => {
    const end = snapshot(liveChildren());
    if (!start || !end || end.machineTotal <= start.machineTotal) return undefined;
    const cores = os.availableParallelism();
    const elapsedCoreTicks = (end.machineTotal - start.machineTotal) / cores;
    const busy = end.machineBusy - start.machineBusy;
    const ours = end.ours - start.ours;
    return { otherCores: Math.max(0, busy - ours) / elapsedCoreTicks, benchCores: ours / elapsedCoreTicks };
  };
}
