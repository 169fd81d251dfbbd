/** Downloading the file of a received message. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const mediaEvents = {
  media_downloaded: s.mediaDownloadedSchema,
} as const;

export const mediaEventNotes = {
  media_downloaded: {
    summary: 'Answer to download_media: the file base64 in `data`, or a link to it in `url` (until `expiresAt`).',
    delivery: 'the requesting connection',
  },
} as const satisfies ServerEventNotes<typeof mediaEvents>;

export const mediaRequests = {
  download_media: {
    payload: s.downloadMediaSchema,
    success: 'media_downloaded',
    error: 'session_error',
    summary:
      'Download the file of a received media message: base64 in the answer when it fits in one message of MAX_PAYLOAD_BYTES (or when asked, `as: "data"`), else (or `as: "url"`) a short-lived link on the gateway. Files over MEDIA_DOWNLOAD_MAX_BYTES answer media_too_large.',
  },
} as const satisfies RequestSpecs;
