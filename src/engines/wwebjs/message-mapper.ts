/** whatsapp-web.js messages and acks, turned into the gateway's protocol types. */
import type wwebjs from 'whatsapp-web.js';
import { isGroupId, isLidId, toPublicAddress } from '../../protocol/chat-id';
import type { AckStatus, IncomingMessage, INCOMING_TYPES } from '../../protocol/schemas';

type IncomingType = (typeof INCOMING_TYPES)[number];

/**
 * A message key as it crosses into Node: `_serialized` on the WhatsApp Web of old, a minified
 * property (`$1` in July 2026) when the page's keys were made before they could be restored.
 */
export type LibraryMessageKey = Omit<wwebjs.MessageId, '_serialized'> & { _serialized?: string; participant?: unknown };

/** The fields read from a library Message; `_data` (the raw model) is not in its typings. */
export type LibraryMessage = Pick<wwebjs.Message, 'from' | 'to' | 'author' | 'body' | 'type' | 'timestamp' | 'hasMedia' | 'fromMe'> & {
  id: LibraryMessageKey;
  _data?: { notifyName?: unknown };
};

/** Phone-number ids (`…@c.us`) the page knows for LIDs (`…@lid`). */
export type LidPhones = ReadonlyMap<string, string>;

const TYPES: Partial<Record<string, IncomingType>> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
};

/**
 * `<fromMe>_<remote>_<id>[_<participant>]`. Read from `_serialized`; else from whichever own string
 * property holds that form (the minified cache, whatever its name this month); else built from the parts.
 */
export function serializedKey(key: LibraryMessageKey): string {
  if (key._serialized) return key._serialized;
  const prefix = `${key.fromMe}_${key.remote}_${key.id}`;
  const cached = Object.values(key).find((value): value is string => typeof value === 'string' && value.startsWith(prefix));
  return cached ?? [prefix, participantId(key.participant)].filter(Boolean).join('_');
}

/** The LIDs a message names (sender, group author), whose phone numbers are worth looking up. */
export function lidsOf(msg: LibraryMessage): string[] {
  return [msg.fromMe ? msg.to : msg.from, msg.author].filter((id): id is string => typeof id === 'string' && isLidId(id));
}

export function toIncomingMessage(msg: LibraryMessage, phones: LidPhones = new Map()): IncomingMessage {
  const chatId = msg.fromMe ? msg.to : msg.from;
  const pushname = msg._data?.notifyName;
  const participant = participantId(msg.id.participant) ?? msg.author;
  const sender = person(msg.from, phones);
  const author = msg.author ? person(msg.author, phones) : undefined;
  return {
    id: serializedKey(msg.id),
    key: { remoteJid: chatId, id: msg.id.id, fromMe: msg.id.fromMe, ...(participant && { participant }) },
    from: sender.address,
    ...(sender.lid && { fromLid: sender.lid }),
    to: toPublicAddress(msg.to),
    chatId,
    text: msg.body,
    type: TYPES[msg.type] ?? 'other',
    isGroup: isGroupId(chatId),
    ...(author && { author: author.address, ...(author.lid && { authorLid: author.lid }) }),
    ...(typeof pushname === 'string' && pushname && { pushname }),
    timestamp: msg.timestamp * 1000,
    hasMedia: msg.hasMedia,
  };
}

/** A person as the protocol shows them: their phone number when known, and the LID WhatsApp used, if any. */
function person(id: string, phones: LidPhones): { address: string; lid?: string } {
  if (!isLidId(id)) return { address: toPublicAddress(id) };
  const phone = phones.get(id);
  return { address: phone ? toPublicAddress(phone) : id, lid: id };
}

/** A key's participant, which arrives as a string or as a serialized wid. */
function participantId(participant: unknown): string | undefined {
  if (typeof participant === 'string') return participant;
  if (typeof participant !== 'object' || participant === null || !('_serialized' in participant)) return undefined;
  return typeof participant._serialized === 'string' ? participant._serialized : undefined;
}

const ACKS: Record<number, AckStatus> = { 0: 'pending', 1: 'server', 2: 'device', 3: 'read', 4: 'played' };

/**
 * WhatsApp Web's acks: -7 … -1 are failures (MD_DOWNGRADE, INACTIVE, CONTENT_UNUPLOADABLE,
 * CONTENT_TOO_BIG, CONTENT_GONE, EXPIRED, FAILED), 0 … 4 pending to played. Anything else (5, PEER,
 * has no documented meaning) is null: the caller logs it.
 */
export function toAckStatus(ack: number): AckStatus | null {
  if (Number.isInteger(ack) && ack >= -7 && ack <= -1) return 'error';
  return ACKS[ack] ?? null;
}
