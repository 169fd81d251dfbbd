/**
 * Sandbox media: messages injected with `media` keep their kind and size here, and download_media
 * answers bytes made from them alone (byte i is i mod 256), so the same request always gets the
 * same file. Only the latest MAX_KEPT media messages can be downloaded, as a phone keeps only so many.
 */
import { GatewayError } from '../../protocol/errors';
import { dropOldest } from '../../util/bounded-map';
import { tooLarge, type DownloadedMedia, type MediaDownloads } from '../capabilities/media';
import type { IncomingMessage } from '../../protocol/schemas';
import type { InjectedMedia } from '../capabilities/simulation';

type SandboxMediaFile = Required<InjectedMedia>;

export const SANDBOX_MEDIA_DEFAULT_BYTES = 1024;
const MAX_KEPT = 1000;

const MIMETYPES = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
} as const satisfies Record<InjectedMedia['type'], string>;

export class SandboxMedia implements MediaDownloads {
  private readonly files = new Map<string, SandboxMediaFile>();

  remember(messageId: string, file: SandboxMediaFile): void {
    this.files.set(messageId, file);
    dropOldest(this.files, MAX_KEPT);
  }

  async download(messageId: string, maxBytes: number): Promise<DownloadedMedia> {
    const file = this.files.get(messageId);
    if (!file)
      throw new GatewayError('media_unavailable', `the sandbox has no media message "${messageId}" (among the latest ${MAX_KEPT})`);
    if (file.size > maxBytes) throw tooLarge(file.size, maxBytes);
    const { mimetype, fileName } = describeSandboxMedia(file);
    return { mimetype, ...(fileName !== undefined && { fileName }), base64: sandboxMediaBytes(file.size).toString('base64') };
  }
}

/** The `media` an incoming message carries for this file. */
export function describeSandboxMedia(file: SandboxMediaFile): NonNullable<IncomingMessage['media']> {
  return {
    mimetype: MIMETYPES[file.type],
    ...(file.type === 'document' && { fileName: `sandbox-${file.size}.pdf` }),
    size: file.size,
  };
}

/** The bytes of a sandbox file of `size` bytes. */
export function sandboxMediaBytes(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, index) => index % 256));
}
