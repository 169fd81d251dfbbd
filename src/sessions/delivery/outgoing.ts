/**
 * A send request made into the message the engine sends: texts within their length, media checked
 * and opened, numbers made chat ids. Done when a send is accepted, and again for a message resumed
 * after a restart (from the request the outbox kept).
 */
import { locationText, type ContactCards, type OutgoingContext, type OutgoingMessage } from '../../engines/capabilities/messaging';
import { resolveMedia, type MediaSourceOptions } from '../../media/resolve-media';
import { toPersonId } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import { isMediaType, type ContactPayload } from '../../protocol/schemas';
import type { SendRequest } from '../../storage/store';

export interface OutgoingPolicy {
  media: MediaSourceOptions;
  maxTextLength: number;
  maxCaptionLength: number;
}

export async function toOutgoing(request: SendRequest, policy: OutgoingPolicy): Promise<OutgoingMessage> {
  const context = contextOf(request);
  const text = textOf(request);
  const { type } = request;
  if (type === 'text') return { type, text: withinLength('message', text ?? '', policy.maxTextLength), ...context };
  if (!isMediaType(type) || type === 'sticker') assertNoText(request);
  // The schema's rule (MESSAGE_TYPE_NEEDS) has already refused a message without the field its type needs.
  if (type === 'location') return { type, location: request.location!, ...context };
  if (type === 'poll') return { type, poll: request.poll!, ...context };
  if (type === 'contact') return { type, cards: contactCards(request.contact!), ...context };
  const caption =
    text === undefined ? undefined : withinLength(request.caption !== undefined ? 'caption' : 'message', text, policy.maxCaptionLength);
  const media = await resolveMedia(request.media!, type, policy.media, request.fileName);
  return { type, media, ...(caption !== undefined && { caption }), ...context };
}

/** Lets go of what the message holds open (a media file), whatever became of it. */
export function release(message: OutgoingMessage): void {
  if ('media' in message) message.media.release?.();
}

/** The text of a text message, or the caption of a media message (`caption` wins over `message`); none for the other types. */
export function textOf(request: SendRequest): string | undefined {
  if (request.type === 'text') return request.message;
  return isMediaType(request.type) ? (request.caption ?? request.message) : undefined;
}

/** What a sent message is recognised by in its chat after a crash (SentProbe.text). */
export function probeTextOf(request: SendRequest): string | undefined {
  if (request.type === 'poll') return request.poll?.question;
  if (request.type === 'location') return request.location && locationText(request.location);
  return request.type === 'sticker' || request.type === 'contact' ? undefined : textOf(request);
}

function contextOf({ quotedMessageId, mentions }: SendRequest): OutgoingContext {
  return {
    ...(quotedMessageId !== undefined && { quotedMessageId }),
    ...(mentions?.length && { mentions: mentions.map((mention, i) => personIdOfField(`mentions.${i}`, mention)) }),
  };
}

function contactCards(contact: ContactPayload): ContactCards {
  if (contact.vcard !== undefined) return { vcard: contact.vcard };
  return { chatIds: (contact.numbers ?? []).map((number, i) => personIdOfField(`contact.numbers.${i}`, number)) };
}

/** A number (or person id) given in `field`, as a chat id; a group is not a person. Errors name the field. */
function personIdOfField(field: string, input: string): string {
  try {
    return toPersonId(input, () => `"${input}" is a group; give a person's number`);
  } catch (error) {
    if (error instanceof GatewayError) throw new GatewayError(error.code, `${field}: ${error.message}`);
    throw error;
  }
}

/** Stickers, locations, contact cards and polls carry no text of their own: one sent along would be lost. */
function assertNoText(request: SendRequest): void {
  const field = request.caption !== undefined ? 'caption' : request.message !== undefined ? 'message' : undefined;
  if (field) throw new GatewayError('invalid_payload', `${field}: ${request.type} messages carry no text`);
}

function withinLength(field: string, text: string, max: number): string {
  if (text.length > max) throw new GatewayError('invalid_payload', `${field}: at most ${max} characters (got ${text.length})`);
  return text;
}
