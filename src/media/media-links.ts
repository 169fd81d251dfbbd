/**
 * Short-lived links to downloaded media (download_media with a URL answer): each file is written
 * under DATA_DIR/media-links/ and known by a random token (24 bytes, base64url) that is its only
 * name; it can be fetched until it expires, then it is deleted. Links live in memory: the folder is
 * emptied when the gateway starts, so no link outlives the process that made it.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const MEDIA_LINKS_FOLDER = 'media-links';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export interface MediaLinkFile {
  sessionId: string;
  mimetype: string;
  fileName?: string;
  size: number;
  /** Where the bytes are; read it while the link lives. */
  path: string;
}

interface MediaLink {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export class MediaLinks {
  private readonly links = new Map<string, { file: MediaLinkFile; expiry: NodeJS.Timeout }>();

  private constructor(
    private readonly folder: string,
    readonly ttlMs: number,
  ) {}

  /** Empties (or makes) the links folder under `dataDir`: links of an earlier process are void. */
  static async open(dataDir: string, ttlMs: number): Promise<MediaLinks> {
    const folder = path.join(dataDir, MEDIA_LINKS_FOLDER);
    await fs.rm(folder, { recursive: true, force: true });
    await fs.mkdir(folder, { recursive: true });
    return new MediaLinks(folder, ttlMs);
  }

  /** Writes the bytes and answers the link to them, valid for `ttlMs` (default: the links' own). */
  async create(file: Omit<MediaLinkFile, 'path' | 'size'>, bytes: Buffer, ttlMs = this.ttlMs): Promise<MediaLink> {
    const token = randomBytes(24).toString('base64url');
    const filePath = path.join(this.folder, token);
    await fs.writeFile(filePath, bytes, { flag: 'wx' });
    const expiry = setTimeout(() => void this.expire(token), ttlMs);
    expiry.unref();
    this.links.set(token, { file: { ...file, size: bytes.length, path: filePath }, expiry });
    return { token, expiresAt: Date.now() + ttlMs };
  }

  /** The file behind a live token; undefined for anything else (expired, unknown, not a token at all). */
  find(token: string): MediaLinkFile | undefined {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    return this.links.get(token)?.file;
  }

  /** Forgets every link and deletes its file (at shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.links.keys()].map((token) => this.expire(token)));
  }

  private async expire(token: string): Promise<void> {
    const link = this.links.get(token);
    if (!link) return;
    clearTimeout(link.expiry);
    this.links.delete(token);
    await fs.rm(link.file.path, { force: true });
  }
}
