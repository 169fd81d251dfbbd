/**
 * download_media through whatsapp-web.js: getMessageById, then Message.downloadMedia(), which in
 * the page fetches and decrypts the file with the site's own modules (WAWebDownloadManager) and
 * hands it to Node as one base64 string: the whole file is in memory twice over (page and Node)
 * while it crosses, which is why a file the message says is over the bound is refused before it is fetched.
 */
import { GatewayError } from '../../protocol/errors';
import { tooLarge, type DownloadedMedia, type MediaDownloads } from '../capabilities/media';
import type { ClientCalls } from './client-calls';

export class WwebjsMedia implements MediaDownloads {
  constructor(private readonly calls: ClientCalls) {}

  async download(messageId: string, maxBytes: number): Promise<DownloadedMedia> {
    const media = await this.calls.run(
      'media download',
      async (client) => {
        const message = await client.getMessageById(messageId);
        if (!message) throw unavailable(`WhatsApp Web has no message "${messageId}"`);
        if (!message.hasMedia) throw unavailable(`message "${messageId}" has no media`);
        const size = declaredSize(message.rawData);
        if (size !== undefined && size > maxBytes) throw tooLarge(size, maxBytes);
        // undefined: the message's media is gone (expired, re-uploading) or could not be fetched.
        return message.downloadMedia();
      },
      this.calls.limits.sendMs,
    );
    if (!media) throw unavailable(`WhatsApp no longer has the media of message "${messageId}"`);
    return { mimetype: media.mimetype, ...(media.filename && { fileName: media.filename }), base64: media.data };
  }
}

/** The file size WhatsApp Web keeps on the message (its `size` field), when it has one. */
function declaredSize(rawData: object): number | undefined {
  return 'size' in rawData && typeof rawData.size === 'number' ? rawData.size : undefined;
}

function unavailable(message: string): GatewayError {
  return new GatewayError('media_unavailable', message);
}
