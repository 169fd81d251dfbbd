/** whatsapp-web.js messages and acks, turned into the gateway's protocol types. */
import type wwebjs from 'whatsapp-web.js';
import { isGroupId, isLidId, toPublicAddress } from '../../protocol/chat-id';
import type { AckStatus, IncomingMessage, INCOMING_TYPES } from '../../protocol/schemas';
import type { IncomingCall, MessageEdit, MessageReaction, MessageRevoke, PollVote } from '../capabilities/receiving';

type IncomingType = (typeof INCOMING_TYPES)[number];

/**
 * A message key as it crosses into Node: `_serialized` on the WhatsApp Web of old, a minified
 * property (`$1` in July 2026) when the page's keys were made before they could be restored.
 */
export type LibraryMessageKey = Omit<wwebjs.MessageId, '_serialized'> & { _serialized?: string; participant?: unknown };

/** The fields read from a library Message; `_data` (the raw model) is not in its typings. */
export type LibraryMessage = Pick<wwebjs.Message, 'from' | 'to' | 'author' | 'body' | 'type' | 'timestamp' | 'hasMedia' | 'fromMe'> &
  Partial<Pick<wwebjs.Message, 'isForwarded' | 'location' | 'vCards' | 'duration' | 'pollName' | 'allowMultipleAnswers'>> & {
    id: LibraryMessageKey;
    /** Wids: strings once they crossed into Node as JSON, `{ _serialized }` otherwise. */
    mentionedIds?: unknown[];
    /** `{ name, localId }` objects at run time, though typed as strings. */
    pollOptions?: unknown;
    _data?: LibraryMessageData;
  };

/** The raw model's fields read beside the Message's own: the sender's name, the reply and the file. */
interface LibraryMessageData {
  notifyName?: unknown;
  /** The replied-to message as the reply carries it (its type, body or caption), its id and its author. */
  quotedMsg?: unknown;
  quotedStanzaID?: unknown;
  quotedParticipant?: unknown;
  /** Set on a message once it was edited: a body that changes without them is no edit (a decrypted message). */
  latestEditMsgKey?: unknown;
  latestEditSenderTimestampMs?: unknown;
  mimetype?: unknown;
  filename?: unknown;
  size?: unknown;
}

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
  poll_creation: 'poll',
};

/**
 * `<fromMe>_<remote>_<id>[_<participant>]`. Read from `_serialized`; else from whichever own string
 * property holds that form (the minified cache, whatever its name this month); else built from the parts.
 */
export function serializedKey(key: LibraryMessageKey): string {
  if (key._serialized) return key._serialized;
  const prefix = `${key.fromMe}_${key.remote}_${key.id}`;
  const cached = Object.values(key).find((value): value is string => typeof value === 'string' && value.startsWith(prefix));
  return cached ?? [prefix, widOf(key.participant)].filter(Boolean).join('_');
}

/** The LIDs a message names (sender, group author, mentions, the replied-to author), whose phone numbers are worth looking up. */
export function lidsOf(msg: LibraryMessage): string[] {
  return onlyLids([msg.fromMe ? msg.to : msg.from, msg.author, ...(msg.mentionedIds ?? []), msg._data?.quotedParticipant]);
}

/** The LIDs among ids in any of the forms they reach Node in. */
export function onlyLids(ids: readonly unknown[]): string[] {
  return ids.map(widOf).filter((id): id is string => id !== undefined && isLidId(id));
}

/**
 * `ownIds`: the account's own ids beside the one the message names (its wid, its LID), to tell
 * whether a replied-to message was the account's own.
 */
export function toIncomingMessage(msg: LibraryMessage, phones: LidPhones = new Map(), ownIds: readonly string[] = []): IncomingMessage {
  const chatId = msg.fromMe ? msg.to : msg.from;
  const pushname = msg._data?.notifyName;
  const participant = widOf(msg.id.participant) ?? msg.author;
  const sender = person(msg.from, phones);
  const author = msg.author ? person(msg.author, phones) : undefined;
  const me = new Set([msg.fromMe ? msg.from : msg.to, ...ownIds]);
  const quoted = quotedOf(msg, chatId, me, phones);
  const mentions = (msg.mentionedIds ?? []).map(widOf).filter((id): id is string => id !== undefined);
  const location = locationOf(msg);
  const poll = pollOf(msg);
  const media = msg.hasMedia ? mediaOf(msg) : undefined;
  return {
    id: serializedKey(msg.id),
    key: { remoteJid: chatId, id: msg.id.id, fromMe: msg.id.fromMe, ...(participant && { participant }) },
    from: sender.address,
    ...(sender.lid && { fromLid: sender.lid }),
    to: toPublicAddress(msg.to),
    chatId,
    text: msg.type === 'location' ? '' : msg.body, // a location's body is its map preview, as base64
    type: TYPES[msg.type] ?? 'other',
    isGroup: isGroupId(chatId),
    ...(author && { author: author.address, ...(author.lid && { authorLid: author.lid }) }),
    ...(typeof pushname === 'string' && pushname && { pushname }),
    timestamp: msg.timestamp * 1000,
    hasMedia: msg.hasMedia,
    fromMe: msg.fromMe,
    ...(quoted && { quoted }),
    ...(mentions.length > 0 && { mentions: mentions.map((id) => person(id, phones).address) }),
    ...(location && { location }),
    ...(msg.vCards?.length && { vcards: msg.vCards }),
    ...(poll && { poll }),
    isForwarded: Boolean(msg.isForwarded),
    ...(media && { media }),
  };
}

/**
 * The replied-to message, from what the reply itself carries (no page call: getQuotedMessage() would
 * ask the page for every reply). Its id is built as WhatsApp Web builds keys: `<fromMe>_<chat>_<id>`,
 * and its author in groups.
 */
function quotedOf(msg: LibraryMessage, chatId: string, me: ReadonlySet<string>, phones: LidPhones): IncomingMessage['quoted'] {
  const quoted = msg._data?.quotedMsg;
  const stanzaId = msg._data?.quotedStanzaID;
  if (!isRecord(quoted) || typeof stanzaId !== 'string' || !stanzaId) return undefined;
  const author = widOf(msg._data?.quotedParticipant) ?? chatId;
  const fromMe = me.has(author);
  const waType = typeof quoted.type === 'string' ? quoted.type : 'chat';
  return {
    id: [`${fromMe}_${chatId}_${stanzaId}`, isGroupId(chatId) ? author : undefined].filter(Boolean).join('_'),
    from: person(author, phones).address,
    text: quotedText(waType, quoted),
    type: TYPES[waType] ?? 'other',
  };
}

/** A media message's `body` holds its thumbnail; its text is the caption. */
function quotedText(waType: string, quoted: Record<string, unknown>): string {
  const field = waType === 'chat' ? quoted.body : waType === 'poll_creation' ? quoted.pollName : quoted.caption;
  return typeof field === 'string' ? field : '';
}

function locationOf(msg: LibraryMessage): IncomingMessage['location'] {
  if (msg.type !== 'location' || !msg.location) return undefined;
  const { latitude, longitude, name, address, url } = msg.location;
  const lat = Number(latitude);
  const lng = Number(longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return undefined;
  return { latitude: lat, longitude: lng, ...(name && { name }), ...(address && { address }), ...(url && { url }) };
}

/** Options by name; an option whose name the library could not find is shown by its local id. */
function pollOf(msg: LibraryMessage): IncomingMessage['poll'] {
  if (msg.type !== 'poll_creation' || !Array.isArray(msg.pollOptions)) return undefined;
  const options = msg.pollOptions.map((option: unknown) =>
    typeof option === 'string' ? option : isRecord(option) ? String(option.name ?? option.localId) : String(option),
  );
  return { question: msg.pollName ?? '', options, allowMultipleAnswers: Boolean(msg.allowMultipleAnswers) };
}

function mediaOf(msg: LibraryMessage): IncomingMessage['media'] {
  const { mimetype, filename, size } = msg._data ?? {};
  if (typeof mimetype !== 'string') return undefined;
  const seconds = Number(msg.duration);
  return {
    mimetype,
    ...(typeof filename === 'string' && filename && { fileName: filename }),
    ...(typeof size === 'number' && Number.isInteger(size) && { size }),
    ...(Number.isFinite(seconds) && seconds > 0 && { durationSeconds: seconds }),
  };
}

// ---- receiving (issue 14): edits, deletions, reactions, votes, calls -------

/** A library Reaction: its parent message's key, who reacted, and the emoji ("" when taken back). */
type LibraryReaction = Pick<wwebjs.Reaction, 'reaction' | 'senderId'> & { msgId: LibraryMessageKey };

/** A library PollVote: typed without the parent key it carries, and with a voter that is a wid at run time. */
interface LibraryPollVote {
  voter: unknown;
  selectedOptions: ReadonlyArray<{ name?: unknown; localId?: unknown }>;
  parentMsgKey: LibraryMessageKey;
}

type LibraryCall = Pick<wwebjs.Call, 'id' | 'from' | 'isVideo' | 'isGroup' | 'fromMe'>;

/** Null for a body change that is no edit (a message decrypted in place, a revoke). */
export function toMessageEdit(msg: LibraryMessage, text: unknown, previousText: unknown): MessageEdit | null {
  const data = msg._data;
  if (msg.type === 'revoked' || (!data?.latestEditMsgKey && !data?.latestEditSenderTimestampMs)) return null;
  return { messageId: serializedKey(msg.id), chatId: chatOf(msg.id), text: String(text ?? ''), previousText: String(previousText ?? '') };
}

/** Deleted by its sender: the group author, else whoever sent it (the account itself for its own). */
export function toMessageRevoke(msg: LibraryMessage, phones: LidPhones = new Map()): MessageRevoke {
  return { messageId: serializedKey(msg.id), chatId: chatOf(msg.id), revokedBy: person(msg.author ?? msg.from, phones).address };
}

export function toMessageReaction(reaction: LibraryReaction, phones: LidPhones = new Map()): MessageReaction {
  return {
    messageId: serializedKey(reaction.msgId),
    chatId: chatOf(reaction.msgId),
    from: person(reaction.senderId, phones).address,
    emoji: reaction.reaction ?? '',
  };
}

export function toPollVote(vote: LibraryPollVote, phones: LidPhones = new Map()): PollVote {
  return {
    messageId: serializedKey(vote.parentMsgKey),
    chatId: chatOf(vote.parentMsgKey),
    voter: person(widOf(vote.voter) ?? '', phones).address,
    selectedOptions: vote.selectedOptions.map(({ name, localId }) => String(typeof name === 'string' ? name : localId)),
  };
}

export function toIncomingCall(call: LibraryCall, phones: LidPhones = new Map()): IncomingCall {
  return {
    callId: String(call.id),
    from: person(widOf(call.from) ?? '', phones).address,
    isVideo: Boolean(call.isVideo),
    isGroup: Boolean(call.isGroup),
  };
}

/** A key's chat: `remote`, a string or a wid depending on how the key crossed into Node. */
function chatOf(key: LibraryMessageKey): string {
  return widOf(key.remote) ?? String(key.remote);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A person as the protocol shows them: their phone number when known, and the LID WhatsApp used, if any. */
function person(id: string, phones: LidPhones): { address: string; lid?: string } {
  if (!isLidId(id)) return { address: toPublicAddress(id) };
  const phone = phones.get(id);
  return { address: phone ? toPublicAddress(phone) : id, lid: id };
}

/** A wid (a key's participant, a mention, a sender), which arrives as a string or as a serialized wid. */
function widOf(wid: unknown): string | undefined {
  if (typeof wid === 'string') return wid;
  if (typeof wid !== 'object' || wid === null || !('_serialized' in wid)) return undefined;
  return typeof wid._serialized === 'string' ? wid._serialized : undefined;
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
