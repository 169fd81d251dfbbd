/**
 * A send request made into the message the engine sends: texts within their length, media checked
 * and opened. Done when a send is accepted, and again for a message resumed after a restart.
 */
import type { OutgoingMessage } from '../../engines/capabilities/messaging';
import { resolveMedia, type MediaSourceOptions } from '../../media/resolve-media';
import { GatewayError } from '../../protocol/errors';
import type { SendRequest } from '../../storage/store';

export interface OutgoingPolicy {
  media: MediaSourceOptions;
  maxTextLength: number;
  maxCaptionLength: number;
}

export async function toOutgoing(request: SendRequest, policy: OutgoingPolicy): Promise<OutgoingMessage> {
  const text = textOf(request);
  if (request.type === 'text') return { type: 'text', text: withinLength('message', text ?? '', policy.maxTextLength) };
  const caption =
    text === undefined ? undefined : withinLength(request.caption !== undefined ? 'caption' : 'message', text, policy.maxCaptionLength);
  // The schema's rule (MESSAGE_TYPE_NEEDS) has already refused a media type without media.
  const media = await resolveMedia(request.media!, request.type, policy.media, request.fileName);
  return { type: request.type, media, ...(caption !== undefined && { caption }) };
}

/** Lets go of what the message holds open (a media file), whatever became of it. */
export function release(message: OutgoingMessage): void {
  if (message.type !== 'text') message.media.release?.();
}

/** The text of a text message, or the caption of a media message (`caption` wins over `message`). */
export function textOf(request: SendRequest): string | undefined {
  return request.type === 'text' ? request.message : (request.caption ?? request.message);
}

function withinLength(field: string, text: string, max: number): string {
  if (text.length > max) throw new GatewayError('invalid_payload', `${field}: at most ${max} characters (got ${text.length})`);
  return text;
}
