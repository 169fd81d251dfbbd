import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaFile } from '../../src/engines/capabilities/messaging';
import { readCapped, resolveLocalFile } from '../../src/media/local-file';
import type { MediaLimits, MediaType } from '../../src/media/media-rules';
import { openFilesUnder } from '../support/open-files';
import { makeTempRoot } from '../support/sandbox-gateway';

describe('resolveLocalFile', () => {
  let root: string;
  let mediaDir: string;
  const resolved: MediaFile[] = [];

  const resolve = async (requested: string, type: MediaType, limits: MediaLimits = {}, fileName?: string) => {
    const file = await resolveLocalFile(requested, type, { mediaDir, limits, readTimeoutMs: 5000 }, fileName);
    resolved.push(file);
    return file;
  };

  beforeAll(async () => {
    root = await makeTempRoot();
    mediaDir = path.join(root, 'media');
    await fs.mkdir(path.join(mediaDir, 'sub', 'folder.jpg'), { recursive: true });
    await fs.writeFile(path.join(mediaDir, 'sub', 'inner.png'), 'png');
    await fs.writeFile(path.join(root, 'outside.jpg'), 'outside secret');
    await fs.symlink(path.join(root, 'outside.jpg'), path.join(mediaDir, 'escape.jpg'));
    await fs.symlink(path.join(mediaDir, 'photo.jpg'), path.join(mediaDir, 'alias.jpg'));
    execFileSync('mkfifo', [path.join(mediaDir, 'fifo.ogg')]);
  });
  afterEach(() => {
    for (const file of resolved.splice(0)) file.release?.();
  });

  it('resolves relative and absolute paths inside MEDIA_DIR with their MIME type', async () => {
    expect(await resolve('photo.jpg', 'image')).toMatchObject({ mimetype: 'image/jpeg', fileName: 'photo.jpg' });
    expect(await resolve(path.join(mediaDir, 'sub/inner.png'), 'image')).toMatchObject({ mimetype: 'image/png' });
    const alias = await resolve('alias.jpg', 'image');
    expect(alias).toMatchObject({ fileName: 'photo.jpg', size: 'fixture photo.jpg'.length });
    expect((await alias.load()).toString()).toBe('fixture photo.jpg');
    expect(await resolve('report.pdf', 'document', {}, 'Q3.pdf')).toMatchObject({ mimetype: 'application/pdf', fileName: 'Q3.pdf' });
    expect(await resolve('voice.ogg', 'audio')).toMatchObject({ mimetype: 'audio/ogg' });
  });

  it.each([
    ['../outside.jpg', 'image', 'media_forbidden'],
    ['/etc/hostname', 'document', 'media_forbidden'],
    ['escape.jpg', 'image', 'media_forbidden'],
    ['sub/../../outside.jpg', 'image', 'media_forbidden'],
    ['.', 'document', 'media_forbidden'],
    ['nope.jpg', 'image', 'media_not_found'],
    ['sub/folder.jpg', 'image', 'media_not_found'],
    ['fifo.ogg', 'audio', 'media_not_found'],
    ['setup.exe', 'image', 'unsupported_type'],
    ['photo.jpg', 'video', 'unsupported_type'],
    ['report.pdf', 'audio', 'unsupported_type'],
  ] as const)('%s as %s → %s', async (requested, type, code) => {
    await expect(resolve(requested, type)).rejects.toMatchObject({ code });
  });

  it('caps the size: MEDIA_MAX_BYTES, or the WhatsApp limit for the type', async () => {
    await expect(resolve('photo.jpg', 'image', { maxBytes: 5 })).rejects.toMatchObject({ code: 'media_too_large' });
    await fs.writeFile(path.join(mediaDir, 'big.jpg'), Buffer.alloc(5 * 1024 * 1024 + 1));
    await expect(resolve('big.jpg', 'image')).rejects.toMatchObject({ code: 'media_too_large' });
    expect(await resolve('big.jpg', 'document')).toMatchObject({ size: 5 * 1024 * 1024 + 1 });
  });

  it('takes only the base name of a fileName', async () => {
    expect(await resolve('report.pdf', 'document', {}, '../../etc/passwd')).toMatchObject({ fileName: 'passwd' });
    await expect(resolve('report.pdf', 'document', {}, 'dir/')).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('holds the file open from the check until release, and only on success', async () => {
    await expect(resolve('photo.jpg', 'video')).rejects.toMatchObject({ code: 'unsupported_type' });
    await expect(resolve('sub/folder.jpg', 'image')).rejects.toMatchObject({ code: 'media_not_found' });
    await expect(resolve('photo.jpg', 'image', { maxBytes: 5 })).rejects.toMatchObject({ code: 'media_too_large' });
    await vi.waitFor(() => expect(openFilesUnder(mediaDir)).toEqual([]));

    const file = await resolve('photo.jpg', 'image');
    expect(openFilesUnder(mediaDir)).toEqual([path.join(mediaDir, 'photo.jpg')]);
    await file.load();
    file.release?.();
    file.release?.();
    await vi.waitFor(() => expect(openFilesUnder(mediaDir)).toEqual([]));
  });
});

describe('a media file that changes while its message waits in the queue', () => {
  let root: string;
  let mediaDir: string;
  const options = (limits: MediaLimits = {}) => ({ mediaDir, limits, readTimeoutMs: 5000 });

  beforeAll(async () => {
    root = await makeTempRoot();
    mediaDir = path.join(root, 'media');
    await fs.writeFile(path.join(root, 'secret.txt'), 'outside MEDIA_DIR');
  });

  it('sends the file that was checked when it is swapped for a symlink to outside MEDIA_DIR', async () => {
    const target = path.join(mediaDir, 'swap.pdf');
    await fs.writeFile(target, 'checked bytes');
    const file = await resolveLocalFile('swap.pdf', 'document', options());
    await fs.rm(target);
    await fs.symlink(path.join(root, 'secret.txt'), target);
    try {
      expect((await file.load()).toString()).toBe('checked bytes');
    } finally {
      file.release?.();
    }
  });

  it('sends the file that was checked when it is swapped for a FIFO, without blocking', async () => {
    const target = path.join(mediaDir, 'swap.ogg');
    await fs.writeFile(target, 'voice bytes');
    const file = await resolveLocalFile('swap.ogg', 'audio', options());
    await fs.rm(target);
    execFileSync('mkfifo', [target]);
    try {
      expect((await file.load()).toString()).toBe('voice bytes');
    } finally {
      file.release?.();
    }
  }, 5000);

  it('refuses a file that grew past the cap, reading no more than one byte beyond it', async () => {
    const target = path.join(mediaDir, 'grow.pdf');
    await fs.writeFile(target, Buffer.alloc(1024));
    const file = await resolveLocalFile('grow.pdf', 'document', options({ maxBytes: 64 * 1024 }));
    await fs.appendFile(target, Buffer.alloc(3 * 1024 * 1024));
    try {
      await expect(file.load()).rejects.toMatchObject({ code: 'media_too_large' });
    } finally {
      file.release?.();
    }

    const handle = await fs.open(target);
    let read = 0;
    const counting = {
      read: async (buffer: Buffer, offset: number, length: number, position: number) => {
        const result = await handle.read(buffer, offset, length, position);
        read += result.bytesRead;
        return result;
      },
    };
    try {
      await expect(readCapped(counting, 64 * 1024, 5000)).rejects.toMatchObject({ code: 'media_too_large' });
      expect(read).toBe(64 * 1024 + 1);
    } finally {
      await handle.close();
    }
  });

  it('reports the size it read when the file changed within the cap', async () => {
    const target = path.join(mediaDir, 'shrink.pdf');
    await fs.writeFile(target, '0123456789');
    const file = await resolveLocalFile('shrink.pdf', 'document', options());
    await fs.truncate(target, 4);
    try {
      expect(file.size).toBe(10);
      expect((await file.load()).toString()).toBe('0123');
      expect(file.size).toBe(4);
    } finally {
      file.release?.();
    }
  });
});

describe('readCapped', () => {
  afterEach(() => vi.useRealTimers());

  it('gives up with media_read_failed when a read does not come back within the time limit', async () => {
    vi.useFakeTimers();
    const hung = { read: () => new Promise<never>(() => {}) };
    const reading = readCapped(hung, 1024, 1000);
    const outcome = expect(reading).rejects.toMatchObject({ code: 'media_read_failed', message: expect.stringContaining('1000 ms') });
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
  });

  it('reports an I/O error as media_read_failed', async () => {
    const failing = { read: () => Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })) };
    await expect(readCapped(failing, 1024, 1000)).rejects.toMatchObject({
      code: 'media_read_failed',
      message: expect.stringContaining('EIO'),
    });
  });
});
