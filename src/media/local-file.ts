/**
 * A `media` path: confined to MEDIA_DIR after resolving symlinks, a regular
 * file, within the size cap, of a MIME type that fits the message type.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import mime from 'mime-types';
import type { MediaFile } from '../engines/engine';
import { GatewayError } from '../protocol/errors';
import { assertMimeFits, assertSize, safeFileName, type MediaLimits, type MediaType } from './media-rules';

export async function resolveLocalFile(
  mediaDir: string,
  requested: string,
  type: MediaType,
  limits: MediaLimits,
  fileName?: string,
): Promise<MediaFile> {
  const root = await fs.realpath(mediaDir).catch(() => {
    throw new GatewayError('media_not_found', 'MEDIA_DIR does not exist on the server');
  });
  const candidate = path.resolve(root, requested);
  if (!isInside(root, candidate)) throw forbidden();

  const real = await fs.realpath(candidate).catch(() => {
    throw new GatewayError('media_not_found', 'the media file does not exist in MEDIA_DIR');
  });
  if (!isInside(root, real)) throw forbidden();
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new GatewayError('media_not_found', 'the media path is not a regular file');
  assertSize(stat.size, type, limits, 'the media file');

  const mimetype = mime.lookup(real) || 'application/octet-stream';
  assertMimeFits(mimetype, type, 'the media file');
  return { mimetype, fileName: safeFileName(fileName ?? path.basename(real)), size: stat.size, load: () => fs.readFile(real) };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function forbidden(): GatewayError {
  return new GatewayError('media_forbidden', 'the media path resolves outside MEDIA_DIR');
}
