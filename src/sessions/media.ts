/**
 * Turns the `media` field of a send request into a checked MediaFile:
 * confined to MEDIA_DIR (after resolving symlinks), a regular file, and of a
 * MIME type that fits the requested message type.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import mime from 'mime-types';
import type { MediaFile } from '../engines/engine';
import { GatewayError } from '../protocol/errors';
import type { MessageType } from '../protocol/schemas';

type MediaType = Exclude<MessageType, 'text'>;

const ALLOWED_MIME_PREFIX: Record<MediaType, string | null> = {
  image: 'image/',
  video: 'video/',
  audio: 'audio/',
  document: null,
};

export async function resolveMedia(mediaDir: string, requested: string, type: MediaType, fileName?: string): Promise<MediaFile> {
  const root = await fs.realpath(mediaDir).catch(() => {
    throw new GatewayError('media_not_found', `MEDIA_DIR ${mediaDir} does not exist on the server`);
  });
  const candidate = path.resolve(root, requested);
  if (!isInside(root, candidate)) throw forbidden(requested);

  const real = await fs.realpath(candidate).catch(() => {
    throw new GatewayError('media_not_found', `media file "${requested}" does not exist in MEDIA_DIR`);
  });
  if (!isInside(root, real)) throw forbidden(requested);
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new GatewayError('media_not_found', `media "${requested}" is not a regular file`);

  const mimetype = mime.lookup(real) || 'application/octet-stream';
  const prefix = ALLOWED_MIME_PREFIX[type];
  if (prefix && !mimetype.startsWith(prefix)) {
    throw new GatewayError('unsupported_type', `"${requested}" is ${mimetype}, which cannot be sent as ${type}`);
  }
  return { path: real, mimetype, fileName: fileName ?? path.basename(real) };
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

function forbidden(requested: string): GatewayError {
  return new GatewayError('media_forbidden', `media path "${requested}" is outside MEDIA_DIR`);
}
