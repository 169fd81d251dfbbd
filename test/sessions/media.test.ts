import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveMedia } from '../../src/sessions/media';
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
    expect(await resolveMedia(mediaDir, 'photo.jpg', 'image')).toMatchObject({ mimetype: 'image/jpeg', fileName: 'photo.jpg' });
    expect(await resolveMedia(mediaDir, path.join(mediaDir, 'sub/inner.png'), 'image')).toMatchObject({ mimetype: 'image/png' });
    expect(await resolveMedia(mediaDir, 'alias.jpg', 'image')).toMatchObject({ path: await fs.realpath(path.join(mediaDir, 'photo.jpg')) });
    expect(await resolveMedia(mediaDir, 'report.pdf', 'document', 'Q3.pdf')).toMatchObject({ mimetype: 'application/pdf', fileName: 'Q3.pdf' });
    expect(await resolveMedia(mediaDir, 'voice.ogg', 'audio')).toMatchObject({ mimetype: 'audio/ogg' });
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
    await expect(resolveMedia(mediaDir, requested, type)).rejects.toMatchObject({ code });
  });
});
