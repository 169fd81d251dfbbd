/** The `media` field of a send request, from whichever source it names, as a checked MediaFile. */
import type { MediaFile } from '../engines/capabilities/messaging';
import { GatewayError } from '../protocol/errors';
import type { InlineMedia } from '../protocol/schemas';
import { decodeInlineMedia } from './inline-data';
import { resolveLocalFile, type LocalFileOptions } from './local-file';
import type { MediaType } from './media-rules';
import { downloadMedia, type UrlDownloadOptions } from './remote-url';

export interface MediaSourceOptions extends LocalFileOptions {
  allowUrls: boolean;
  allowData: boolean;
  url: Omit<UrlDownloadOptions, 'limits'>;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export async function resolveMedia(
  source: string | InlineMedia,
  type: MediaType,
  options: MediaSourceOptions,
  fileName?: string,
): Promise<MediaFile> {
  if (typeof source !== 'string' || source.startsWith('data:')) {
    if (!options.allowData) throw disabled('inline (base64) media', 'MEDIA_ALLOW_DATA=1');
    return decodeInlineMedia(source, type, options.limits, fileName);
  }
  if (URL_SCHEME.test(source)) {
    if (!options.allowUrls) throw disabled('media URLs', 'MEDIA_ALLOW_URLS=1');
    return downloadMedia(source, type, { ...options.url, limits: options.limits }, fileName);
  }
  return resolveLocalFile(source, type, options, fileName);
}

function disabled(what: string, setting: string): GatewayError {
  return new GatewayError('media_forbidden', `${what} are disabled on this gateway (the operator can enable them with ${setting})`);
}
