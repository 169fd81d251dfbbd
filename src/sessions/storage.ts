/**
 * Stored logins: one `session-<id>` folder per session in DATA_DIR, the
 * layout whatsapp-web.js's LocalAuth uses. The sandbox engine keeps the
 * same layout so the storage events behave alike on both engines.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SESSION_ID_PATTERN } from '../protocol/schemas';

const PREFIX = 'session-';

/** A session's stored-login folder: whatsapp-web.js LocalAuth's own layout, which every engine keeps. */
export function storedLoginDir(dataDir: string, sessionId: string): string {
  return path.join(dataDir, `${PREFIX}${sessionId}`);
}

export class SessionStorage {
  constructor(readonly dataDir: string) {}

  folderOf(sessionId: string): string {
    return storedLoginDir(this.dataDir, sessionId);
  }

  /** Ids of every stored login, sorted. */
  async list(): Promise<string[]> {
    const entries = await fs.readdir(this.dataDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return entries
      .filter((entry) => entry.isDirectory() && entry.name.startsWith(PREFIX))
      .map((entry) => entry.name.slice(PREFIX.length))
      .filter((id) => SESSION_ID_PATTERN.test(id))
      .sort();
  }

  async has(sessionId: string): Promise<boolean> {
    const stat = await fs.stat(this.folderOf(sessionId)).catch(() => undefined);
    return stat?.isDirectory() ?? false;
  }

  async remove(sessionId: string): Promise<void> {
    await fs.rm(this.folderOf(sessionId), { recursive: true, force: true });
  }
}
