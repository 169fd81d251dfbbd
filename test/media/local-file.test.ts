import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveLocalFile } from '../../src/media/local-file';
import { makeTempRoot } from '../support/sandbox-gateway';

describe('resolveMedia', () => {
  let root: string;
  let mediaDir: string;

  beforeAll(async () => {
    root = await makeTempRoot();
    mediaDir = path.join(root, 'media');
    await fs.mkdir(path.join(mediaDir, 'sub', 'folder.jpg'), { recursive: true });
    await fs.writeFile(path.join(mediaDir, 'sub', 'inner.png'), 'png');
    await fs.writeFile(path.join(root, 'outside.jpg'), 'x');
    await fs.symlink(path.join(root, 'outside.jpg'), path.join(mediaDir, 'escape.jpg'));
    await fs.symlink(path.join(mediaDir, 'photo.jpg'), path.join(mediaDir, 'alias.jpg'));
  });

  it('resolves relative and absolute paths inside MEDIA_DIR with their MIME type', async () => {
    expect(await resolveLocalFile(mediaDir, 'photo.jpg', 'image', {})).toMatchObject({ mimetype: 'image/jpeg', fileName: 'photo.jpg' });
    expect(await resolveLocalFile(mediaDir, path.join(mediaDir, 'sub/inner.png'), 'image', {})).toMatchObject({ mimetype: 'image/png' });
    const alias = await resolveLocalFile(mediaDir, 'alias.jpg', 'image', {});
    expect(alias).toMatchObject({ fileName: 'photo.jpg', size: 'fixture photo.jpg'.length });
    expect((await alias.load()).toString()).toBe('fixture photo.jpg');
    expect(await resolveLocalFile(mediaDir, 'report.pdf', 'document', {}, 'Q3.pdf')).toMatchObject({
      mimetype: 'application/pdf',
      fileName: 'Q3.pdf',
    });
    expect(await resolveLocalFile(mediaDir, 'voice.ogg', 'audio', {})).toMatchObject({ mimetype: 'audio/ogg' });
  });

  it.each([
    ['../outside.jpg', 'image', 'media_forbidden'],
    ['/etc/hostname', 'document', 'media_forbidden'],
    ['escape.jpg', 'image', 'media_forbidden'],
    ['sub/../../outside.jpg', 'image', 'media_forbidden'],
    ['.', 'document', 'media_forbidden'],
    ['nope.jpg', 'image', 'media_not_found'],
    ['sub/folder.jpg', 'image', 'media_not_found'],
    ['setup.exe', 'image', 'unsupported_type'],
    ['photo.jpg', 'video', 'unsupported_type'],
    ['report.pdf', 'audio', 'unsupported_type'],
  ] as const)('%s as %s → %s', async (requested, type, code) => {
    await expect(resolveLocalFile(mediaDir, requested, type, {})).rejects.toMatchObject({ code });
  });

  it('caps the size: MEDIA_MAX_BYTES, or the WhatsApp limit for the type', async () => {
    await expect(resolveLocalFile(mediaDir, 'photo.jpg', 'image', { maxBytes: 5 })).rejects.toMatchObject({ code: 'media_too_large' });
    await fs.writeFile(path.join(mediaDir, 'big.jpg'), Buffer.alloc(5 * 1024 * 1024 + 1));
    await expect(resolveLocalFile(mediaDir, 'big.jpg', 'image', {})).rejects.toMatchObject({ code: 'media_too_large' });
    expect(await resolveLocalFile(mediaDir, 'big.jpg', 'document', {})).toMatchObject({ size: 5 * 1024 * 1024 + 1 });
  });

  it('takes only the base name of a fileName', async () => {
    expect(await resolveLocalFile(mediaDir, 'report.pdf', 'document', {}, '../../etc/passwd')).toMatchObject({ fileName: 'passwd' });
    await expect(resolveLocalFile(mediaDir, 'report.pdf', 'document', {}, 'dir/')).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
