import { spawn } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { pssBytes, treePssBytes } from '../../src/observability/process-memory';
import { processTree } from '../../src/observability/process-table';

describe('process memory', () => {
  it('finds a process tree and sums its PSS', async () => {
    const parent = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    try {
      const tree = await vi.waitFor(async () => {
        const found = await processTree(parent.pid!);
        expect(found).toHaveLength(3); // sh and its two sleeps, once sh has forked them
        return found;
      });
      expect(tree[0]).toBe(parent.pid);
      const own = await pssBytes(parent.pid!);
      expect(own).toBeGreaterThan(0);
      expect(await treePssBytes(parent.pid!)).toBeGreaterThan(own);
      expect(await treePssBytes(2 ** 22 + 12345)).toBe(0);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
