import { promises as fs } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isErrnoException } from '../../src/util/errno';

describe('isErrnoException', () => {
  it('recognises a Node system error, and its code when asked', async () => {
    const error = await fs.readFile('/nonexistent/file').catch((e: unknown) => e);
    expect(isErrnoException(error)).toBe(true);
    expect(isErrnoException(error, 'ENOENT')).toBe(true);
    expect(isErrnoException(error, 'EACCES')).toBe(false);
  });

  it('refuses anything else', () => {
    expect(isErrnoException(new Error('plain'))).toBe(false);
    expect(isErrnoException({ code: 'ENOENT' })).toBe(false); // not an Error
    expect(isErrnoException('ENOENT')).toBe(false);
    expect(isErrnoException(Object.assign(new Error('odd'), { code: 42 }))).toBe(false);
  });
});
