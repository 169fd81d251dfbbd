/**
 * download_media: the file of a received message, base64 in one Socket.IO message. That message is
 * held to MAX_PAYLOAD_BYTES, the most the gateway takes from a client in one: files whose base64
 * cannot fit are refused `media_too_large`, before the engine fetches them when it knows their size.
 */
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import { tooLarge } from '../../engines/capabilities/media';
import type { SessionManager } from '../session-manager';
import { engineCall } from './engine-call';

/** Room left in the message for the answer's other fields and the packet around them. */
const ENVELOPE_BYTES = 1024;

type MediaDownloaded = RequestResult<'download_media'>;

export class MediaRequests {
  /** The largest file (bytes) whose answer fits in one message. */
  readonly maxFileBytes: number;

  constructor(
    private readonly manager: SessionManager,
    private readonly maxPayloadBytes: number,
  ) {
    this.maxFileBytes = Math.max(0, Math.floor((maxPayloadBytes - ENVELOPE_BYTES) / 4) * 3);
  }

  async download({ sessionId, messageId }: RequestPayload<'download_media'>): Promise<MediaDownloaded> {
    const { media } = this.manager.get(sessionId).connectedEngine();
    if (!media) throw new GatewayError('not_supported', 'this engine cannot download media');
    const file = await engineCall(() => media.download(messageId, this.maxFileBytes));
    const answer: MediaDownloaded = {
      sessionId,
      messageId,
      mimetype: file.mimetype,
      ...(file.fileName !== undefined && { fileName: file.fileName }),
      size: decodedLength(file.base64),
      data: file.base64,
    };
    // The engine may not have known the size beforehand, and names can be long: the answer itself decides.
    if (Buffer.byteLength(JSON.stringify(answer)) + ENVELOPE_BYTES / 8 > this.maxPayloadBytes) {
      throw tooLarge(answer.size, this.maxFileBytes);
    }
    return answer;
  }
}

/** Bytes a base64 string decodes to. */
function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
