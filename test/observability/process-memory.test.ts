import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pssBytes, treePssBytes } from '../../src/observability/process-memory';
import { processTree } from '../../src/observability/process-table';

describe('process memory', () => {
  it('finds a process tree and sums its PSS', async () => {
    const parent = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const tree = await processTree(parent.pid!);
      expect(tree[0]).toBe(parent.pid);
      expect(tree).toHaveLength(3);
      const own = await pssBytes(parent.pid!);
      expect(own).toBeGreaterThan(0);
      expect(await treePssBytes(parent.pid!)).toBeGreaterThan(own);
      expect(await treePssBytes(2 ** 22 + 12345)).toBe(0);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
