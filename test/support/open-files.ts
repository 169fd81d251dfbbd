/** What /proc says about this process's open files, for tests that check nothing is left open. */
import { readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** The files under `dir` this process holds open, one entry per descriptor. */
export function openFilesUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // closed meanwhile
      }
    })
    .filter((target) => target.startsWith(`${dir}${path.sep}`));
}
