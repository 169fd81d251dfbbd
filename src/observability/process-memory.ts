/**
 * Memory of a browser as the kernel accounts it: the proportional set size
 * (PSS) of its whole process tree. RSS would count shared pages once per
 * process and over-state a Chromium tree several times.
 */
import { promises as fs } from 'node:fs';
import { processTree, type ProcInfo } from './process-table';

export async function pssBytes(pid: number): Promise<number> {
  const rollup = await fs.readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** PSS of the tree under `rootPid`; pass `processes` to measure several trees from one listing. */
export async function treePssBytes(rootPid: number, processes?: readonly ProcInfo[]): Promise<number> {
  const sizes = await Promise.all((await processTree(rootPid, processes)).map(pssBytes));
  return sizes.reduce((sum, size) => sum + size, 0);
}
