import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MEDIA_LINKS_FOLDER, MediaLinks } from '../../src/media/media-links';

const TTL_MS = 60_000;
let dataDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-links-'));
});

afterEach(async () => {
  vi.useRealTimers();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const PHOTO = { sessionId: 'shop-1', mimetype: 'image/jpeg', fileName: 'photo.jpg' };

describe('MediaLinks', () => {
  it('keeps the bytes under DATA_DIR/media-links behind a 32-character token until the link expires, then deletes them', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const links = await MediaLinks.open(dataDir, TTL_MS);
    const { token, expiresAt } = await links.create(PHOTO, Buffer.from('jpeg bytes'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(expiresAt).toBe(Date.now() + TTL_MS);
    const file = links.find(token)!;
    expect(file).toEqual({ ...PHOTO, size: 10, path: path.join(dataDir, MEDIA_LINKS_FOLDER, token) });
    expect(await fs.readFile(file.path, 'utf8')).toBe('jpeg bytes');

    await vi.advanceTimersByTimeAsync(TTL_MS - 1);
    expect(links.find(token)).toBeDefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(links.find(token)).toBeUndefined();
    await vi.waitFor(() => expect(existsSync(file.path)).toBe(false));
  });

  it('gives every link its own token', async () => {
    const links = await MediaLinks.open(dataDir, TTL_MS);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => links.create(PHOTO, Buffer.from('x'))));
    expect(new Set(tokens.map((link) => link.token)).size).toBe(20);
    await links.close();
  });

  it.each(['../../etc/passwd', '..', '', 'a'.repeat(31), `${'a'.repeat(31)}/`, `${'a'.repeat(31)}.`])(
    'finds nothing for %j, which is no token it made',
    async (token) => {
      const links = await MediaLinks.open(dataDir, TTL_MS);
      expect(links.find(token)).toBeUndefined();
    },
  );

  it('empties the folder on open (links of an earlier process are void) and on close', async () => {
    const folder = path.join(dataDir, MEDIA_LINKS_FOLDER);
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path.join(folder, 'left-over'), 'old');
    const links = await MediaLinks.open(dataDir, TTL_MS);
    expect(await fs.readdir(folder)).toEqual([]);
    const { token } = await links.create(PHOTO, Buffer.from('x'));
    await links.close();
    expect(links.find(token)).toBeUndefined();
    expect(await fs.readdir(folder)).toEqual([]);
  });

  it('keeps a link with its own lifetime (MEDIA_AUTO_RETENTION_MS) apart from the default one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const links = await MediaLinks.open(dataDir, TTL_MS);
    const kept = await links.create(PHOTO, Buffer.from('kept'), 10 * TTL_MS);
    const short = await links.create(PHOTO, Buffer.from('short'));
    expect(kept.expiresAt).toBe(Date.now() + 10 * TTL_MS);
    await vi.advanceTimersByTimeAsync(TTL_MS);
    expect(links.find(short.token)).toBeUndefined();
    expect(links.find(kept.token)).toBeDefined();
    await vi.advanceTimersByTimeAsync(9 * TTL_MS);
    expect(links.find(kept.token)).toBeUndefined();
    await vi.waitFor(async () => expect(await fs.readdir(path.join(dataDir, MEDIA_LINKS_FOLDER))).toEqual([]));
  });
});
