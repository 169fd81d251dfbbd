/**
 * Media sent inside the request (MEDIA_ALLOW_DATA=1): a `data:` URL or
 * `{ data, mimetype, fileName }` with base64 data. Already bounded by the
 * Socket.IO buffer limit (MAX_PAYLOAD_BYTES); checked like any other media.
 */
import mime from 'mime-types';
import type { MediaFile } from '../engines/capabilities/messaging';
import { GatewayError } from '../protocol/errors';
import type { InlineMedia } from '../protocol/schemas';
import { assertMimeFits, assertSize, safeFileName, type MediaLimits, type MediaType } from './media-rules';

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[\w.-]+)*;base64,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeInlineMedia(source: string | InlineMedia, type: MediaType, limits: MediaLimits, fileName?: string): MediaFile {
  const { mimetype, data, name } = typeof source === 'string' ? parseDataUrl(source) : { ...source, name: source.fileName };
  const base64 = data.replace(/\s/g, '');
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) throw new GatewayError('invalid_payload', 'media.data: is not valid base64');
  const normalized = mimetype.toLowerCase();
  assertMimeFits(normalized, type, 'the inline media');
  const bytes = Buffer.from(base64, 'base64');
  assertSize(bytes.length, type, limits, 'the inline media');
  const finalName = fileName ?? name ?? `file.${mime.extension(normalized) || 'bin'}`;
  return { mimetype: normalized, fileName: safeFileName(finalName), size: bytes.length, load: async () => bytes };
}

function parseDataUrl(source: string): { mimetype: string; data: string; name?: string } {
  const match = DATA_URL.exec(source);
  if (!match) throw new GatewayError('invalid_payload', 'media: a data URL must look like data:<mimetype>;base64,<data>');
  return { mimetype: match[1]!, data: match[2]! };
}
