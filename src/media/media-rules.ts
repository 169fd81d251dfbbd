/** Which files each message type accepts, and how big they may be. */
import { GatewayError } from '../protocol/errors';
import type { MediaMessageType } from '../protocol/schemas';

export type MediaType = MediaMessageType;

/** A sticker is an image: webp as it is, any other image converted by WhatsApp Web (docs/decisions.md, "Stickers"). */
const MIME_PREFIX: Record<MediaType, string | null> = {
  image: 'image/',
  video: 'video/',
  audio: 'audio/',
  document: null,
  sticker: 'image/',
};

/** WhatsApp's documented media limits (Cloud API): what it would refuse anyway. */
const DEFAULT_MAX_BYTES: Record<MediaType, number> = {
  image: 5 * 1024 * 1024,
  video: 16 * 1024 * 1024,
  audio: 16 * 1024 * 1024,
  document: 100 * 1024 * 1024,
  // Before WhatsApp Web converts it; the sticker it sends is a 512 x 512 webp.
  sticker: 5 * 1024 * 1024,
};

export interface MediaLimits {
  /** One cap for every type (MEDIA_MAX_BYTES); WhatsApp's per-type limits when unset. */
  maxBytes?: number;
}

export function maxBytesFor(type: MediaType, limits: MediaLimits): number {
  return limits.maxBytes ?? DEFAULT_MAX_BYTES[type];
}

export function assertSize(size: number, type: MediaType, limits: MediaLimits, source: string): void {
  const max = maxBytesFor(type, limits);
  if (size > max) throw new GatewayError('media_too_large', `${source} is ${size} bytes; ${type} media may be at most ${max} bytes`);
}

export function assertMimeFits(mimetype: string, type: MediaType, source: string): void {
  const prefix = MIME_PREFIX[type];
  if (prefix && !mimetype.startsWith(prefix)) {
    throw new GatewayError('unsupported_type', `${source} is ${mimetype}, which cannot be sent as ${type}`);
  }
}

/** A file name safe to hand to WhatsApp and to logs: no path parts, no control characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = base.replace(/[\x00-\x1f\x7f]/g, '').trim();
  if (!clean || clean === '.' || clean === '..') throw new GatewayError('invalid_payload', 'fileName: must be a plain file name');
  return clean.slice(0, 255);
}
