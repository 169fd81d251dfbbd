/**
 * Phone numbers and chat ids as users write them, turned into WhatsApp ids.
 * Accepted: 6282284316465, +62 822-8431-6465, 6282284316465@c.us,
 * 120363021234567890@g.us (groups) and …@lid (hidden-number contacts).
 */
import { GatewayError } from './errors';

const PERSON = /^(\d{6,15})@c\.us$/;
const GROUP = /^\d{6,20}(-\d{6,12})?@g\.us$/;
const LID = /^\d{6,20}@lid$/;
const FORMATTED_NUMBER = /^\+?[\d \-().]{6,24}$/;

const NUMBER_FORMAT_HINT =
  'use the international format without "+", e.g. 6282284316465 (a "+", spaces and dashes are tolerated), a …@c.us id or a group …@g.us id';

/** The WhatsApp id for a user-supplied number or id; throws `invalid_number`. */
export function toChatId(input: string): string {
  const trimmed = input.trim();
  if (GROUP.test(trimmed) || LID.test(trimmed)) return trimmed;
  const digits = phoneDigitsOf(trimmed);
  if (digits) return `${digits}@c.us`;
  throw new GatewayError('invalid_number', `"${printable(input)}" is not a valid number: ${NUMBER_FORMAT_HINT}`);
}

/**
 * The digits of a phone number written as toChatId accepts one (6282284316465, +62 822-8431-6465,
 * 6282284316465@c.us), e.g. the number a pairing code is asked for; throws `invalid_number` for
 * anything else, groups and LIDs included.
 */
export function toPhoneNumber(input: string): string {
  const digits = phoneDigitsOf(input.trim());
  if (digits) return digits;
  throw new GatewayError(
    'invalid_number',
    `"${printable(input)}" is not a phone number: use the international format without "+", e.g. 6282284316465 (a "+", spaces and dashes are tolerated)`,
  );
}

function phoneDigitsOf(trimmed: string): string | undefined {
  const person = PERSON.exec(trimmed);
  if (person) return person[1];
  if (!FORMATTED_NUMBER.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? digits : undefined;
}

/** The number part of a person id, or the whole id for groups and anything else. */
export function toPublicAddress(chatId: string): string {
  const match = PERSON.exec(chatId);
  return match?.[1] ?? chatId;
}

/** A group's id (`…@g.us`) for a user-supplied id; `invalid_number` if it is no id, `group_not_found` if it is not a group's. */
export function toGroupId(input: string): string {
  const chatId = toChatId(input);
  if (!isGroupId(chatId)) throw new GatewayError('group_not_found', `${input} is not a group id (…@g.us)`);
  return chatId;
}

/**
 * A person's id (`…@c.us` or `…@lid`) for a user-supplied number or id; `invalid_number` if it is none,
 * and for a group, worded by `groupRefusal` (each request family keeps the wording its clients know).
 */
export function toPersonId(input: string, groupRefusal: (input: string) => string = groupGivenForPerson): string {
  const chatId = toChatId(input);
  if (isGroupId(chatId)) throw new GatewayError('invalid_number', groupRefusal(input));
  return chatId;
}

const groupGivenForPerson = (input: string) => `"${input}" is a group; give a person's number, …@c.us or …@lid`;

export function isGroupId(chatId: string): boolean {
  return chatId.endsWith('@g.us');
}

/** A LID (`<digits>@lid`): how WhatsApp addresses a person without showing their phone number. */
export function isLidId(chatId: string): boolean {
  return chatId.endsWith('@lid');
}

/** Echoing user input into an error message: short and free of control characters. */
function printable(input: string): string {
  const clean = input.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

/**
 * The chat a message belongs to, from its `key` or its serialized id
 * (`<fromMe>_<chatId>_<id>[_<participant>]`); throws `invalid_number`.
 */
export function chatIdOfMessage(messageKey: string | { remoteJid: string }): string {
  if (typeof messageKey !== 'string') return toChatId(messageKey.remoteJid);
  const [fromMe, chatId] = messageKey.split('_');
  if ((fromMe !== 'true' && fromMe !== 'false') || !chatId) {
    throw new GatewayError(
      'invalid_payload',
      'messageKey must be a message key object or a serialized message id "<fromMe>_<chatId>_<id>"',
    );
  }
  return toChatId(chatId);
}
