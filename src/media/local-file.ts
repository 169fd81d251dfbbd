/**
 * A `media` path: confined to MEDIA_DIR after resolving symlinks, a regular
 * file, within the size cap, of a MIME type that fits the message type.
 *
 * The file is opened once, when the request arrives, and the send reads that
 * descriptor: whatever happens to the path while the message waits in the
 * queue (swapped for a symlink, a FIFO, another file) changes nothing. The
 * open follows no symlink in the last component and does not block (a FIFO),
 * the checks run on the opened descriptor, and the read stops past the size
 * cap or after MEDIA_READ_TIMEOUT_MS.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import mime from 'mime-types';
import type { MediaFile } from '../engines/capabilities/messaging';
import { GatewayError } from '../protocol/errors';
import { withTimeout } from '../util/time-limit';
import { assertMimeFits, assertSize, maxBytesFor, safeFileName, type MediaLimits, type MediaType } from './media-rules';
import { isErrnoException } from '../util/errno';

export interface LocalFileOptions {
  mediaDir: string;
  limits: MediaLimits;
  /** Time limit for reading the file when the message is sent. */
  readTimeoutMs: number;
}

/** What reading needs of an open file: a FileHandle, or a stand-in in tests. */
interface FileReader {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CHUNK_BYTES = 1024 * 1024;

export async function resolveLocalFile(
  requested: string,
  type: MediaType,
  options: LocalFileOptions,
  fileName?: string,
): Promise<MediaFile> {
  const root = await fs.realpath(options.mediaDir).catch(() => {
    throw new GatewayError('media_not_found', 'MEDIA_DIR does not exist on the server');
  });
  const candidate = path.resolve(root, requested);
  if (!isInside(root, candidate)) throw forbidden();

  const real = await fs.realpath(candidate).catch(() => {
    throw notFound();
  });
  if (!isInside(root, real)) throw forbidden();
  const mimetype = mime.lookup(real) || 'application/octet-stream';
  assertMimeFits(mimetype, type, 'the media file');
  const name = safeFileName(fileName ?? path.basename(real));

  const handle = await open(real);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new GatewayError('media_not_found', 'the media path is not a regular file');
    const location = await openedLocation(handle, stat, real);
    if (!location || !isInside(root, location)) throw forbidden();
    assertSize(stat.size, type, options.limits, 'the media file');
    const checked = { mimetype, fileName: name, size: stat.size };
    return openedFile(handle, checked, maxBytesFor(type, options.limits), options.readTimeoutMs);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a file from its start to its end, refusing more than `maxBytes` (read at most one byte past it) and stopping after `timeoutMs`. */
export async function readCapped(reader: FileReader, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const deadline = Date.now() + timeoutMs;
  const timedOut = () => new GatewayError('media_read_failed', `the media file could not be read within ${timeoutMs} ms`);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw timedOut();
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const { bytesRead } = await withTimeout(reader.read(chunk, 0, chunk.length, total), left, timedOut).catch((error: Error) => {
      throw error instanceof GatewayError
        ? error
        : new GatewayError('media_read_failed', `the media file could not be read: ${error.message}`);
    });
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw new GatewayError('media_too_large', `the media file grew past ${maxBytes} bytes since it was checked`);
  }
}

function openedFile(
  handle: FileHandle,
  checked: { mimetype: string; fileName: string; size: number },
  maxBytes: number,
  readTimeoutMs: number,
): MediaFile {
  let { size } = checked;
  let released = false;
  return {
    mimetype: checked.mimetype,
    fileName: checked.fileName,
    get size() {
      return size;
    },
    load: async () => {
      const data = await readCapped(handle, maxBytes, readTimeoutMs);
      size = data.length;
      return data;
    },
    // Not awaited: closing waits for a read still pending (a hung disk), and the send must not.
    release: () => {
      if (released) return;
      released = true;
      void handle.close().catch(() => undefined);
    },
  };
}

async function open(real: string): Promise<FileHandle> {
  try {
    return await fs.open(real, OPEN_FLAGS);
  } catch (error) {
    const code = isErrnoException(error) ? error.code : 'unknown error';
    // ELOOP: the file became a symlink after it was resolved.
    if (code === 'ELOOP') throw forbidden();
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFound();
    throw new GatewayError('media_read_failed', `the media file could not be opened (${code})`);
  }
}

/**
 * Where the opened descriptor really is. Linux names it in /proc, exactly,
 * whatever was swapped meanwhile (a folder on the path replaced by a symlink
 * between realpath and open). Elsewhere the path is resolved again and must
 * still lead to the very file that was opened (same device and inode).
 */
async function openedLocation(handle: FileHandle, opened: Stats, real: string): Promise<string | undefined> {
  const named = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (named !== undefined) return named;
  const again = await fs.realpath(real).catch(() => undefined);
  const now = again === undefined ? undefined : await fs.stat(again).catch(() => undefined);
  return now?.dev === opened.dev && now.ino === opened.ino ? again : undefined;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function forbidden(): GatewayError {
  return new GatewayError('media_forbidden', 'the media path resolves outside MEDIA_DIR');
}

function notFound(): GatewayError {
  return new GatewayError('media_not_found', 'the media file does not exist in MEDIA_DIR');
}
