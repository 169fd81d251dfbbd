/**
 * MEDIA_AUTO_DOWNLOAD: the file of every incoming media message is fetched before its message_received
 * goes out, kept behind a link (media-links.ts) for MEDIA_AUTO_RETENTION_MS, and the event
 * carries the link as `mediaUrl`. Files over MEDIA_AUTO_MAX_BYTES, media WhatsApp no longer
 * has, or a download that fails leave the message as it is (no `mediaUrl`; download_media can still
 * try). The session's events wait for the download, so they keep their order.
 */
import type { EngineSession } from '../engines/engine';
import type { Logger } from '../logger';
import type { MediaLinks } from '../media/media-links';
import type { IncomingMessage } from '../protocol/schemas';
import { keepBehindLink } from './requests/media';

interface AutoDownloadPolicy {
  maxBytes: number;
  retentionMs: number;
}

export class MediaAutoDownload {
  constructor(
    private readonly links: MediaLinks,
    private readonly policy: AutoDownloadPolicy,
    private readonly logger: Logger,
  ) {}

  /** The message with `mediaUrl` when its file could be kept; else the message as it came. */
  async attach(sessionId: string, engine: EngineSession, message: IncomingMessage): Promise<IncomingMessage> {
    if (!message.hasMedia || !engine.media) return message;
    try {
      const file = await engine.media.download(message.id, this.policy.maxBytes);
      const bytes = Buffer.from(file.base64, 'base64');
      if (bytes.length > this.policy.maxBytes) return message;
      const { url } = await keepBehindLink(this.links, sessionId, file, bytes, this.policy.retentionMs);
      return { ...message, mediaUrl: url };
    } catch (error) {
      this.logger.warn({ sessionId, messageId: message.id, err: error }, 'media of an incoming message not kept');
      return message;
    }
  }
}
