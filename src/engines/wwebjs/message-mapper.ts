/** whatsapp-web.js messages and acks, turned into the gateway's protocol types. */
import type wwebjs from 'whatsapp-web.js';
import { isGroupId, toPublicAddress } from '../../protocol/chat-id';
import { ACK_STATUSES, type AckStatus, type IncomingMessage, type INCOMING_TYPES } from '../../protocol/schemas';

type IncomingType = (typeof INCOMING_TYPES)[number];

/** The fields read from a library Message; `_data` (the raw model) is not in its typings. */
type LibraryMessage = Pick<wwebjs.Message, 'id' | 'from' | 'to' | 'author' | 'body' | 'type' | 'timestamp' | 'hasMedia' | 'fromMe'> & {
  _data?: { notifyName?: unknown };
};

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

export function toIncomingMessage(msg: LibraryMessage): IncomingMessage {
  const chatId = msg.fromMe ? msg.to : msg.from;
  const pushname = msg._data?.notifyName;
  return {
    id: msg.id._serialized,
    key: { remoteJid: chatId, id: msg.id.id, fromMe: msg.id.fromMe, ...(msg.author && { participant: msg.author }) },
    from: toPublicAddress(msg.from),
    to: toPublicAddress(msg.to),
    chatId,
    text: msg.body,
    type: TYPES[msg.type] ?? 'other',
    isGroup: isGroupId(chatId),
    ...(msg.author && { author: toPublicAddress(msg.author) }),
    ...(typeof pushname === 'string' && pushname && { pushname }),
    timestamp: msg.timestamp * 1000,
    hasMedia: msg.hasMedia,
  };
}

/** whatsapp-web.js acks run from -1 (error) to 4 (played); null for a value it may add later. */
export function toAckStatus(ack: number): AckStatus | null {
  return ACK_STATUSES[ack + 1] ?? null;
}
