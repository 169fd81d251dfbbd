/** Downloading the file of a received media message. */
import { GatewayError } from '../../protocol/errors';

export interface DownloadedMedia {
  mimetype: string;
  fileName?: string;
  /** The file, base64, as WhatsApp Web hands it over. */
  base64: string;
}

export interface MediaDownloads {
  /**
   * The file of the message with this serialized id. Rejects `media_unavailable` when the engine
   * has no such message, the message has no media, or WhatsApp no longer has the file; rejects
   * `media_too_large`, before fetching anything, when the message says its file is over `maxBytes`.
   */
  download(messageId: string, maxBytes: number): Promise<DownloadedMedia>;
}

export function tooLarge(size: number, maxBytes: number): GatewayError {
  return new GatewayError('media_too_large', `the file has ${size} bytes; download_media takes at most ${maxBytes} here`);
}
