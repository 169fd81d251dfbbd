/** What /proc says about processes: their parent, state, process group and command line. */
import { promises as fs } from 'node:fs';

export interface ProcInfo {
  pid: number;
  parent: number;
  /** R, S, D, Z (zombie: killed, not yet reaped), … */
  state: string;
  processGroup: number;
  /** Arguments joined by spaces: Chromium's helpers rewrite theirs into one space-separated string. */
  cmdline: string;
}

/** The fields of /proc/<pid>/stat and /proc/<pid>/cmdline; the command name is in parentheses and may hold spaces. */
export function parseProc(pid: number, stat: string, cmdline: string): ProcInfo {
  const [state = '', parent = '', processGroup = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { pid, state, parent: Number(parent), processGroup: Number(processGroup), cmdline: cmdline.replace(/\0/g, ' ').trim() };
}

export async function listProcesses(): Promise<ProcInfo[]> {
  const pids = (await fs.readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const found = await Promise.all(
    pids.map(async (pid) => {
      try {
        return parseProc(pid, await fs.readFile(`/proc/${pid}/stat`, 'utf8'), await fs.readFile(`/proc/${pid}/cmdline`, 'utf8'));
      } catch {
        return null; // gone meanwhile
      }
    }),
  );
  return found.filter((p): p is ProcInfo => p !== null);
}

/** The pid and every descendant, from the parent links of `processes` (default: a fresh listing). */
export async function processTree(rootPid: number, processes?: readonly ProcInfo[]): Promise<number[]> {
  const all = processes ?? (await listProcesses());
  if (!all.some((p) => p.pid === rootPid)) return [];
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const p of all) if (p.parent === tree[i]) tree.push(p.pid);
  }
  return tree;
}
