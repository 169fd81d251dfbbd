/** What the figures were measured on: the machine, Node, and the commit of src/. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round } from './stats';

export function machine() {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: os.cpus() below
  }
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism(),
    cpuModel: model.trim(),
    totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

/** The commit measured, and whether src/ had uncommitted changes (others may be editing it). */
export function sourceVersion() {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: path.join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean);
  return { commit: git('rev-parse', '--short', 'HEAD') || 'unknown', srcUncommittedFiles: changed.length };
}
