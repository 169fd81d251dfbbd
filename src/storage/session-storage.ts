/**
 * Stored logins: one `session-<id>` folder per session in DATA_DIR, the
 * layout whatsapp-web.js's LocalAuth uses. The sandbox engine keeps the
 * same layout so the storage events behave alike on both engines. Next to
 * each folder, `session-<id>.owner.json` names the API key (by its key id,
 * never the key) that started the session, so a restart restores it as
 * that key's; the folder itself belongs to LocalAuth and Chromium.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../protocol/errors';
import { SESSION_ID_PATTERN } from '../protocol/schemas';
import { isErrnoException } from '../util/errno';

const PREFIX = 'session-';
/** Enough to need real disk blocks: an empty file is still created on a full disk. */
const PROBE_BYTES = 64 * 1024;
const MIB = 1024 * 1024;
const OWNER_SUFFIX = '.owner.json';

/** A session's stored-login folder: whatsapp-web.js LocalAuth's own layout, which every engine keeps. */
export function storedLoginDir(dataDir: string, sessionId: string): string {
  return path.join(dataDir, `${PREFIX}${sessionId}`);
}

export class SessionStorage {
  constructor(
    readonly dataDir: string,
    /** DATA_DIR_MIN_FREE_MB in bytes; 0 checks only that writes succeed. */
    private readonly minFreeBytes = 0,
  ) {}

  /**
   * Throws `storage_failed` unless DATA_DIR has `minFreeBytes` free and `dir`
   * (default DATA_DIR) takes a real write: a probe file written and removed.
   * Messages name `label`, never a server path (they reach clients).
   */
  async assertWritable(dir = this.dataDir, label = 'DATA_DIR'): Promise<void> {
    const { bavail, bsize } = await fs.statfs(this.dataDir).catch((error: Error) => {
      throw new GatewayError('storage_failed', `DATA_DIR cannot be inspected (${errorCode(error)})`);
    });
    const free = bavail * bsize;
    if (free < this.minFreeBytes) {
      const [freeMb, minMb] = [free / MIB, this.minFreeBytes / MIB].map((mb) => mb.toFixed(1));
      throw new GatewayError('storage_failed', `DATA_DIR has ${freeMb} MB free, less than DATA_DIR_MIN_FREE_MB (${minMb} MB)`);
    }
    const probe = path.join(dir, `.storage-probe-${process.pid}`);
    try {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(probe, Buffer.alloc(PROBE_BYTES));
    } catch (error) {
      throw new GatewayError('storage_failed', `${label} is not writable (${errorCode(error)})`);
    } finally {
      await fs.rm(probe, { force: true }).catch(() => undefined);
    }
  }

  /** assertWritable for the folder a session's login is stored in (created if the engine has not yet). */
  assertCanStore(sessionId: string): Promise<void> {
    return this.assertWritable(this.folderOf(sessionId), `the stored-login folder of "${sessionId}"`);
  }

  folderOf(sessionId: string): string {
    return storedLoginDir(this.dataDir, sessionId);
  }

  /** Ids of every stored login, sorted. */
  async list(): Promise<string[]> {
    const entries = await fs.readdir(this.dataDir, { withFileTypes: true }).catch((error: unknown) => {
      if (isErrnoException(error, 'ENOENT')) return [];
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

  /** Deletes the stored login and its owner record. */
  async remove(sessionId: string): Promise<void> {
    await fs.rm(this.folderOf(sessionId), { recursive: true, force: true });
    await fs.rm(this.ownerFileOf(sessionId), { force: true });
  }

  /** The key id that last started the session, if a key did (and its record is readable). */
  async readOwner(sessionId: string): Promise<string | undefined> {
    const text = await fs.readFile(this.ownerFileOf(sessionId), 'utf8').catch((error: unknown) => {
      if (isErrnoException(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (text === undefined) return undefined;
    const keyId: unknown = (JSON.parse(text) as { keyId?: unknown }).keyId;
    if (typeof keyId !== 'string') throw new Error(`${this.ownerFileOf(sessionId)} names no keyId`);
    return keyId;
  }

  /** Records who started the session; no owner (no API keys configured) removes the record. */
  async writeOwner(sessionId: string, keyId: string | undefined): Promise<void> {
    const file = this.ownerFileOf(sessionId);
    if (keyId === undefined) {
      await fs.rm(file, { force: true });
      return;
    }
    // Written whole or not at all: a crash mid-write must not leave half a record.
    const partial = `${file}.${process.pid}.tmp`;
    await fs.writeFile(partial, JSON.stringify({ keyId }));
    await fs.rename(partial, file);
  }

  private ownerFileOf(sessionId: string): string {
    return path.join(this.dataDir, `${PREFIX}${sessionId}${OWNER_SUFFIX}`);
  }
}

/** `ENOSPC`, `EROFS`, …: the cause without the path Node puts in its messages. */
function errorCode(error: unknown): string {
  return isErrnoException(error) ? (error.code ?? 'unknown error') : 'unknown error';
}
