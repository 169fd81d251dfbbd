/**
 * download_media: the file of a received message, base64 in one Socket.IO message when it fits, else
 * behind a short-lived link (media-links.ts). The message is held to MAX_PAYLOAD_BYTES, the most the
 * gateway takes from a client in one. The engine hands the whole file over at once, so what it may
 * fetch is bounded: by what fits in the message for `as: 'data'`, else by MEDIA_DOWNLOAD_MAX_BYTES.
 */
import { tooLarge, type DownloadedMedia } from '../../engines/capabilities/media';
import type { MediaLinks } from '../../media/media-links';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { SessionManager } from '../session-manager';
import { engineCall } from './engine-call';

/** Room left in the message for the answer's other fields and the packet around them. */
const ENVELOPE_BYTES = 1024;
/** Where links are served (src/server/http-app.ts). */
export const MEDIA_LINK_PATH = '/media/';

type DownloadRequest = RequestPayload<'download_media'>;
type MediaDownloaded = RequestResult<'download_media'>;

interface MediaRequestOptions {
  maxPayloadBytes: number;
  /** MEDIA_DOWNLOAD_MAX_BYTES. */
  maxDownloadBytes: number;
}

export class MediaRequests {
  /** The largest file (bytes) whose base64 answer fits in one message. */
  readonly maxInlineBytes: number;

  constructor(
    private readonly manager: SessionManager,
    private readonly links: MediaLinks,
    private readonly options: MediaRequestOptions,
  ) {
    this.maxInlineBytes = Math.max(0, Math.floor((options.maxPayloadBytes - ENVELOPE_BYTES) / 4) * 3);
  }

  async download(request: DownloadRequest): Promise<MediaDownloaded> {
    const { sessionId, messageId } = request;
    const { media } = this.manager.get(sessionId).connectedEngine();
    if (!media) throw new GatewayError('not_supported', 'this engine cannot download media');
    const maxBytes = request.as === 'data' ? this.maxInlineBytes : this.options.maxDownloadBytes;
    const file = await engineCall(() => media.download(messageId, maxBytes));
    const size = decodedLength(file.base64);
    if (size > maxBytes) throw tooLarge(size, maxBytes);
    const described = {
      sessionId,
      messageId,
      mimetype: file.mimetype,
      ...(file.fileName !== undefined && { fileName: file.fileName }),
      size,
    };
    if (request.as !== 'url') {
      const inline = { ...described, data: file.base64 };
      if (size <= this.maxInlineBytes && this.fitsInOneMessage(inline)) return inline;
      if (request.as === 'data') throw tooLarge(size, this.maxInlineBytes);
    }
    const { url, expiresAt } = await keepBehindLink(this.links, sessionId, file, Buffer.from(file.base64, 'base64'));
    return { ...described, url, expiresAt };
  }

  /** The engine may not have known the size beforehand, and names can be long: the answer itself decides. */
  private fitsInOneMessage(answer: MediaDownloaded): boolean {
    return Buffer.byteLength(JSON.stringify(answer)) + ENVELOPE_BYTES / 8 <= this.options.maxPayloadBytes;
  }
}

/** Writes a downloaded file behind a /media/ link, for `ttlMs` (default: MEDIA_LINK_TTL_MS). */
export async function keepBehindLink(
  links: MediaLinks,
  sessionId: string,
  file: DownloadedMedia,
  bytes: Buffer,
  ttlMs?: number,
): Promise<{ url: string; expiresAt: number }> {
  const fileName = file.fileName !== undefined ? { fileName: file.fileName } : {};
  const { token, expiresAt } = await links.create({ sessionId, mimetype: file.mimetype, ...fileName }, bytes, ttlMs);
  return { url: `${MEDIA_LINK_PATH}${token}`, expiresAt };
}

/** Bytes a base64 string decodes to. */
function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
