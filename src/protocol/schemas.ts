/**
 * The one source of truth for every payload on the wire. Runtime validation,
 * the TypeScript event maps (events.ts) and the published protocol document
 * are all derived from these schemas.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors';
import { requiredBy } from './required-by';

/** LocalAuth's own rule for client ids, so an id is always a safe folder name. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const sessionIdSchema = z
  .string()
  .regex(SESSION_ID_PATTERN, 'must be 1-64 characters: letters, digits, "_" or "-"')
  .describe('Session id, unique per WhatsApp account.');

/** Numbers and chat ids are checked for format later, so a bad one answers `invalid_number`. */
const chatAddress = z
  .string()
  .min(1)
  .max(128)
  .describe('Phone number with country code (6282284316465, +62 822-8431-6465), a person id (…@c.us) or a group id (…@g.us).');

export const MESSAGE_TYPES = ['text', 'image', 'video', 'document', 'audio', 'sticker', 'location', 'contact', 'poll'] as const;
export const messageTypeSchema = z.enum(MESSAGE_TYPES);
export type MessageType = z.infer<typeof messageTypeSchema>;

/** The field each message type cannot do without: the text of a text message, the file of media, the content of the others. */
export const MESSAGE_TYPE_NEEDS = {
  text: 'message',
  image: 'media',
  video: 'media',
  document: 'media',
  audio: 'media',
  sticker: 'media',
  location: 'location',
  contact: 'contact',
  poll: 'poll',
} as const satisfies Record<MessageType, 'message' | 'media' | 'location' | 'contact' | 'poll'>;

/** The message types that send a file (`media`). */
export type MediaMessageType = { [T in MessageType]: (typeof MESSAGE_TYPE_NEEDS)[T] extends 'media' ? T : never }[MessageType];

export function isMediaType(type: MessageType): type is MediaMessageType {
  return MESSAGE_TYPE_NEEDS[type] === 'media';
}

export const SESSION_STATUSES = ['starting', 'qr', 'pairing', 'connected', 'reconnecting', 'disconnected', 'stopped', 'failed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
const REPORTED_STATUSES = [...SESSION_STATUSES, 'not_found'] as const;

/** What each status a session reports means; docs/protocol.md and the test console show these (plain text, no Markdown). */
export const SESSION_STATUS_MEANINGS = {
  starting: 'Opening WhatsApp Web.',
  qr: 'Waiting for the QR code to be scanned.',
  pairing: 'Waiting for the pairing code to be entered on the phone (started with a phoneNumber).',
  connected: 'Logged in to WhatsApp: ready to send and receive.',
  reconnecting: 'The connection was lost; the gateway is restarting the session.',
  disconnected:
    'Ended on its own: logged out from the phone, or no QR code was scanned (or pairing code entered) in time (session_disconnected says which).',
  stopped: 'Not running: stopped or logged out by request, or a stored login not started yet. A stop keeps the login, a logout deletes it.',
  failed: 'Could not start, or restarts did not bring it back; its error says why.',
  not_found: 'No session with this id is running, and no login with this id is stored.',
} as const satisfies Record<(typeof REPORTED_STATUSES)[number], string>;

export const reportedStatusSchema = z
  .enum(REPORTED_STATUSES)
  .meta({ 'x-enum-descriptions': REPORTED_STATUSES.map((status) => SESSION_STATUS_MEANINGS[status]) });

export const DISCONNECT_REASONS = [
  'stopped',
  'logged_out',
  'connection_lost',
  'browser_closed',
  'qr_timeout',
  'ready_timeout',
  'start_failed',
  'shutdown',
] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** How far a sent message got, in the order it gets there (WhatsApp's acks 0 … 4): it only moves forward. */
export const ACK_PROGRESS = ['pending', 'server', 'device', 'read', 'played'] as const;
/** WhatsApp gave up on the message (its acks -7 … -1); it can follow any step of the progress. */
export const ACK_FAILED = 'error';
export const ACK_STATUSES = [ACK_FAILED, ...ACK_PROGRESS] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

export const INCOMING_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contact', 'poll', 'other'] as const;

/** The media a sandbox_inject_message can carry, and a bound on its made-up size. */
export const SANDBOX_MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;
export const SANDBOX_MEDIA_MAX_BYTES = 64 * 1024 * 1024;

// ---- client → server -------------------------------------------------------

export const sessionRefSchema = z.object({ sessionId: sessionIdSchema });

/** Checked for format later, like chat addresses, so a bad number answers `invalid_number`. */
export const startSessionSchema = sessionRefSchema.extend({
  phoneNumber: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'Log in with a pairing code for this number (6282284316465, +62 822-8431-6465) instead of a QR code: pairing_code events follow instead of qr_code. Ignored when a stored login restores.',
    ),
});
export const noPayloadSchema = z.union([z.undefined(), z.null(), z.object({})]).describe('No payload (an empty object is accepted).');

export const TEXT_MAX_LENGTH = 65_536;

export const inlineMediaSchema = z.object({
  data: z.string().min(1).describe('Base64 bytes.'),
  mimetype: z.string().min(3).max(255),
  fileName: z.string().min(1).max(255).optional(),
});
export type InlineMedia = z.infer<typeof inlineMediaSchema>;

export const locationSchema = z
  .object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().trim().min(1).max(256).optional().describe('Shown above the address, e.g. a place name.'),
    address: z.string().trim().min(1).max(256).optional(),
  })
  .describe('For type "location": a point on the map, in degrees.');
export type LocationPayload = z.infer<typeof locationSchema>;

/** Gateway limits: WhatsApp publishes none for the number of cards in one message. */
export const CONTACT_CARDS_MAX = 20;
const VCARD_MAX_LENGTH = 10_000;

/** The library sends text that starts BEGIN:VCARD as a card, and as plain text whatever WhatsApp Web cannot read as one. */
function isOneVcard(text: string): boolean {
  const lines = text.split(/\r?\n/);
  return lines[0] === 'BEGIN:VCARD' && lines.at(-1) === 'END:VCARD' && lines.some((line) => /^FN[;:].*\S/.test(line));
}

export const contactSchema = z
  .object({
    numbers: z
      .array(chatAddress)
      .min(1)
      .max(CONTACT_CARDS_MAX)
      .optional()
      .describe('Numbers (or …@c.us ids) to share, one card each, as WhatsApp Web knows the contact (its name, its number).'),
    vcard: z
      .string()
      .trim()
      .max(VCARD_MAX_LENGTH)
      .refine(isOneVcard, 'must be one vCard: BEGIN:VCARD, an FN line (the name shown), END:VCARD')
      .optional()
      .describe('One card of your own, as vCard text (BEGIN:VCARD … FN:<name> … END:VCARD).'),
  })
  .refine((contact) => (contact.numbers === undefined) !== (contact.vcard === undefined), {
    message: 'give either numbers or vcard',
    path: ['numbers'],
  })
  .meta({ oneOf: [{ required: ['numbers'] }, { required: ['vcard'] }] })
  .describe('For type "contact": contact cards, from numbers or as a vCard.');
export type ContactPayload = z.infer<typeof contactSchema>;

export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 12;

export const pollSchema = z
  .object({
    question: z.string().trim().min(1).max(255),
    options: z
      .array(z.string().trim().min(1).max(100))
      .min(POLL_OPTIONS_MIN)
      .max(POLL_OPTIONS_MAX)
      .refine((options) => new Set(options).size === options.length, 'must all differ'),
    allowMultipleAnswers: z.boolean().default(false).describe('false: each voter picks one option; true: any number of them.'),
  })
  .describe(`For type "poll": a question and ${POLL_OPTIONS_MIN} to ${POLL_OPTIONS_MAX} options (texts trimmed).`);
export type PollPayload = z.infer<typeof pollSchema>;

/** A message id as message_received (`id`) and message_sent (`messageId`) give it. */
const messageIdSchema = z
  .string()
  .max(512)
  .regex(/^(true|false)_[^_\s]+_\S+$/, 'must be a message id as message_received.id or message_sent.messageId give it');

/** A gateway limit, far above what a message needs. */
export const MENTIONS_MAX = 256;

const DEFAULT_MESSAGE_TYPE = 'text';
const messageTypeNeeds = requiredBy({
  key: 'type',
  byDefault: DEFAULT_MESSAGE_TYPE,
  needs: MESSAGE_TYPE_NEEDS,
  issue: (type) => `is required for ${type} messages`,
});

export const sendMessageSchema = z
  .object({
    sessionId: sessionIdSchema,
    to: chatAddress,
    type: messageTypeSchema
      .default(DEFAULT_MESSAGE_TYPE)
      .describe(
        'text needs `message`; image, video, document, audio and sticker need `media` (a sticker is an image: a webp is sent as it is, other images are made webp by WhatsApp Web; no video stickers); location, contact and poll need the field of that name, and take no text.',
      ),
    message: z.string().max(TEXT_MAX_LENGTH).optional().describe('Text, or the caption of a media message.'),
    media: z
      .union([z.string().min(1), inlineMediaSchema])
      .optional()
      .describe('A path inside MEDIA_DIR; or, when enabled, an https:// URL, a data: URL or { data, mimetype, fileName }.'),
    caption: z.string().max(TEXT_MAX_LENGTH).optional().describe('Caption of a media message; wins over `message`.'),
    fileName: z.string().min(1).max(255).optional().describe('File name shown for documents; defaults to the file name of `media`.'),
    location: locationSchema.optional(),
    contact: contactSchema.optional(),
    poll: pollSchema.optional(),
    quotedMessageId: messageIdSchema.optional().describe('Reply to this message (its `id` from message_received, or a messageId).'),
    mentions: z
      .array(chatAddress)
      .max(MENTIONS_MAX)
      .optional()
      .describe('Numbers mentioned in the text (write them in the text as @<number> too, as WhatsApp shows them).'),
    clientMessageId: z.string().min(1).max(128).optional().describe('Your own id, echoed back in message_sent / send_error.'),
  })
  .superRefine(messageTypeNeeds.check)
  .meta(messageTypeNeeds.jsonSchema);

export const phoneQuerySchema = z.object({ sessionId: sessionIdSchema, phoneNumber: chatAddress });

export const TYPING_STATES = ['typing', 'recording', 'paused'] as const;
export type TypingState = (typeof TYPING_STATES)[number];

/** `state` says more than `isTyping` (kept for existing clients); one of the two, never both, so they cannot disagree. */
export const typingSchema = z
  .object({
    sessionId: sessionIdSchema,
    to: chatAddress,
    isTyping: z.boolean().optional().describe('true shows "typing…", false clears it (state typing / paused).'),
    state: z.enum(TYPING_STATES).optional().describe('"typing…", "recording audio…", or paused (cleared).'),
  })
  .refine((typing) => (typing.isTyping === undefined) !== (typing.state === undefined), {
    message: 'give either isTyping or state',
    path: ['state'],
  })
  .meta({ oneOf: [{ required: ['isTyping'] }, { required: ['state'] }] });

/** React, edit, delete, forward (issue 14): the message is named by its serialized id. */
const actedMessage = {
  sessionId: sessionIdSchema,
  messageId: messageIdSchema.describe('The message: `id` of message_received, or `messageId` of message_sent.'),
};

export const REACTION_MAX_LENGTH = 32;

export const reactSchema = z.object({
  ...actedMessage,
  emoji: z.string().max(REACTION_MAX_LENGTH).describe('One emoji (e.g. "👍"); "" removes your reaction.'),
});

export const editSchema = z.object({
  ...actedMessage,
  text: z
    .string()
    .min(1)
    .max(TEXT_MAX_LENGTH)
    .describe('The new text (or caption); only messages this account sent, within 15 minutes of sending.'),
});

export const deleteSchema = z.object({
  ...actedMessage,
  forEveryone: z
    .boolean()
    .default(false)
    .describe('true revokes it for everyone (your own message, or any as a group admin); false deletes it on this account only.'),
});

export const forwardSchema = z.object({ ...actedMessage, to: chatAddress });

export const presenceSchema = z.object({
  sessionId: sessionIdSchema,
  available: z.boolean().describe('true shows the account online; false offline (WhatsApp then sends no read receipts either).'),
});

export const messageKeySchema = z.object({
  remoteJid: chatAddress,
  id: z.string().min(1).max(256),
  fromMe: z.boolean().optional(),
  participant: chatAddress.optional(),
});
export type MessageKey = z.infer<typeof messageKeySchema>;

export const readMessageSchema = z.object({
  sessionId: sessionIdSchema,
  messageKey: z
    .union([messageKeySchema, z.string().min(1).max(512)])
    .describe('The `key` object of a received message, or its `id` string.'),
});

const seqSchema = z.number().int().min(0);

export const subscribeSchema = z.object({
  sessionIds: z.union([z.literal('*'), z.array(sessionIdSchema).max(1000)]).describe('"*" for every session, or a list of ids.'),
  since: z
    .record(sessionIdSchema, seqSchema)
    .refine((since) => Object.keys(since).length <= 1000, 'at most 1000 sessions')
    .optional()
    .describe(
      "Resume: per session, the last `seq` you handled. The events after it that this connection has not received are sent first, in order (marked `replayed`), then live ones, with no gap and no duplicate. Sessions not listed start live. The same map in the handshake's `auth.since` resumes before any live event arrives.",
    ),
});

export const getMessageStatusSchema = z
  .object({
    sessionId: sessionIdSchema,
    clientMessageId: z.string().min(1).max(128).optional().describe('The clientMessageId you sent it with.'),
    messageId: z.string().min(1).max(512).optional().describe('The WhatsApp message id message_sent answered.'),
  })
  .refine((payload) => (payload.clientMessageId === undefined) !== (payload.messageId === undefined), {
    message: 'give either clientMessageId or messageId',
    path: ['clientMessageId'],
  })
  .meta({ oneOf: [{ required: ['clientMessageId'] }, { required: ['messageId'] }] });

/** A location as a received message carries it (receiving, issue 14). */
const receivedLocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(1024).optional(),
  address: z.string().max(1024).optional(),
  url: z.string().max(2048).optional(),
});

/** A poll as a received message carries it (receiving, issue 14). */
const receivedPollSchema = z.object({
  question: z.string().max(TEXT_MAX_LENGTH),
  options: z.array(z.string().max(256)).min(1).max(12),
  allowMultipleAnswers: z.boolean(),
});

export const injectMessageSchema = z.object({
  sessionId: sessionIdSchema,
  from: chatAddress,
  text: z.string().max(TEXT_MAX_LENGTH),
  // receiving (issue 14): what else the injected message carries
  quotedMessageId: z.string().min(1).max(512).optional().describe('It replies to this message (one the sandbox knows).'),
  mentions: z.array(chatAddress).max(256).optional().describe('Numbers it mentions.'),
  location: receivedLocationSchema.optional().describe('Makes it a location message.'),
  poll: receivedPollSchema.optional().describe('Makes it a poll, which sandbox_vote can vote in.'),
  isForwarded: z.boolean().optional(),
  media: z
    .object({
      type: z.enum(SANDBOX_MEDIA_TYPES).describe('What kind of file the message carries (docs/sandbox.md says which bytes).'),
      size: z.number().int().min(1).max(SANDBOX_MEDIA_MAX_BYTES).optional().describe('Its size in bytes (default 1024).'),
    })
    .optional()
    .describe('Make it a media message: download_media then answers deterministic bytes; `text` is its caption.'),
});

export const downloadMediaSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: messageIdSchema.describe('The `id` of a received message with `hasMedia: true`.'),
  as: z
    .enum(['data', 'url'])
    .optional()
    .describe(
      'data: the file base64 in the answer (media_too_large if it does not fit in one message); url: a short-lived link on the gateway (GET it with your API key); default: data when it fits, else url.',
    ),
});

// ---- receiving (issue 14): what the sandbox can make happen -----------------

const simulatedMessageIdSchema = z
  .string()
  .min(1)
  .max(512)
  .describe('The `id` of a message (message_received, own_message or message_sent).');

export const injectOwnMessageSchema = z.object({
  sessionId: sessionIdSchema,
  to: chatAddress,
  text: z.string().max(TEXT_MAX_LENGTH),
});

export const simulateEditSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: simulatedMessageIdSchema,
  text: z.string().max(TEXT_MAX_LENGTH),
});

export const simulateRevokeSchema = z.object({ sessionId: sessionIdSchema, messageId: simulatedMessageIdSchema });

export const simulateReactionSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: simulatedMessageIdSchema,
  from: chatAddress.describe('Who reacts.'),
  emoji: z.string().max(32).describe('The reaction; "" removes it.'),
});

export const simulateVoteSchema = z.object({
  sessionId: sessionIdSchema,
  messageId: simulatedMessageIdSchema.describe('The poll: the `id` of a message carrying `poll`.'),
  voter: chatAddress,
  selectedOptions: z.array(z.string().max(256)).max(12).describe('Option names; [] takes the vote back.'),
});

export const simulateCallSchema = z.object({
  sessionId: sessionIdSchema,
  from: chatAddress,
  isVideo: z.boolean().default(false),
});

// ---- server → client -------------------------------------------------------

/** What the gateway keeps of an event in its log: docs/decisions.md, "Durable delivery". */
const loggedEvent = {
  seq: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      "This session's event number (1, 2, 3, …, never reused): resume after it with `since`. Absent when the event could not be written to the log.",
    ),
  replayed: z.literal(true).optional().describe('Sent again from the event log on a resume with `since`, not live.'),
};

export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

const phoneNumber = z.string().describe('Digits with country code, no "+".');

export const sessionStatusSchema = z.object({
  sessionId: z.string(),
  status: reportedStatusSchema,
  isConnected: z.boolean(),
  queueDepth: z.number().int().optional().describe("Messages waiting in (or being sent by) the session's send queue."),
  phoneNumber: phoneNumber.optional(),
  pushname: z.string().optional(),
  webVersion: z.string().optional().describe("The WhatsApp Web version the session's page runs, once connected."),
  qrCode: z.string().optional().describe('Latest QR as a data:image/png;base64 URL while status is "qr".'),
  pairingCode: z.string().optional().describe('Latest pairing code while status is "pairing".'),
  error: z
    .object({ code: errorCodeSchema, message: z.string() })
    .optional()
    .describe('Why it failed, while status is "failed" (e.g. `browser_not_found` or `max_sessions` for a stored login restored at boot).'),
  ...loggedEvent,
});
export type SessionStatusPayload = z.infer<typeof sessionStatusSchema>;

export const activeSessionSchema = sessionStatusSchema.omit({ qrCode: true, pairingCode: true, pushname: true, seq: true, replayed: true });

export const qrCodeSchema = z.object({
  sessionId: z.string(),
  qrCode: z.string().describe('data:image/png;base64 URL of the QR image.'),
  qr: z.string().describe('The raw QR string, for rendering it yourself.'),
  attempt: z.number().int().describe('1 for the first QR, then +1 per refresh.'),
});

export const pairingCodeSchema = z.object({
  sessionId: z.string(),
  code: z.string().describe('8 characters (e.g. 8W2WZ3TS), to enter in WhatsApp → Linked devices → Link with phone number.'),
  phoneNumber: phoneNumber.describe('The number the code is for: only its WhatsApp can enter it.'),
  attempt: z.number().int().describe('1 for the first code, then +1 per refresh.'),
});

export const sessionConnectedSchema = z.object({
  sessionId: z.string(),
  phoneNumber,
  pushname: z.string(),
  webVersion: sessionStatusSchema.shape.webVersion,
  ...loggedEvent,
});

export const sessionDisconnectedSchema = z.object({
  sessionId: z.string(),
  reason: z
    .enum(DISCONNECT_REASONS)
    .describe(
      'stopped / logged_out / shutdown: asked for (or logged out from the phone); connection_lost, browser_closed, ready_timeout (WhatsApp Web logged in but never became ready within WWEBJS_READY_TIMEOUT_MS): the session restarts; qr_timeout: no scan within QR_MAX_ATTEMPTS QR codes, or no pairing code entered within PAIRING_CODE_MAX_ATTEMPTS codes; start_failed: it could not start.',
    ),
  ...loggedEvent,
});

export const incomingMessageSchema = z.object({
  id: z.string().describe('Serialized WhatsApp message id; accepted by read_message.'),
  key: messageKeySchema.required({ fromMe: true }),
  from: z
    .string()
    .describe("Sender number (group id for group messages); the sender's LID (…@lid) when WhatsApp does not know their number."),
  fromLid: z.string().optional().describe('The LID (…@lid) WhatsApp addressed the sender by, when it used one.'),
  to: z.string(),
  chatId: z.string(),
  text: z.string(),
  type: z.enum(INCOMING_TYPES),
  isGroup: z.boolean(),
  author: z.string().optional().describe('Number (or LID when the number is not known) of the group participant who wrote it.'),
  authorLid: z.string().optional().describe('The LID of the group participant, when WhatsApp used one.'),
  pushname: z.string().optional(),
  timestamp: z.number().int().describe('Milliseconds since the epoch.'),
  hasMedia: z.boolean(),
  fromMe: z.boolean().describe('Sent by this account (true only in own_message).'),
  quoted: z
    .object({
      id: z.string().describe('Serialized id of the replied-to message.'),
      from: z.string().describe('Who wrote it: their number, or LID when WhatsApp does not know the number.'),
      text: z.string(),
      type: z.enum(INCOMING_TYPES),
    })
    .optional()
    .describe('The message this one replies to.'),
  mentions: z
    .array(z.string())
    .optional()
    .describe('People mentioned in the text: numbers, or LIDs when WhatsApp does not know the number.'),
  location: receivedLocationSchema.optional().describe('For type "location".'),
  vcards: z.array(z.string()).optional().describe('For type "contact": one vCard per contact card.'),
  poll: receivedPollSchema.optional().describe('For type "poll"; votes arrive as poll_vote.'),
  isForwarded: z.boolean().optional().describe('True when the message was forwarded.'),
  media: z
    .object({
      mimetype: z.string(),
      fileName: z.string().optional().describe('When the sender gave one (documents do; photos usually not).'),
      size: z.number().int().optional().describe('Bytes, as WhatsApp announced them.'),
      durationSeconds: z.number().optional().describe('Audio and video.'),
    })
    .optional()
    .describe('What the attached file is, when hasMedia; the file itself: download_media, or mediaUrl (MEDIA_AUTO_DOWNLOAD).'),
  mediaUrl: z
    .string()
    .optional()
    .describe(
      'With MEDIA_AUTO_DOWNLOAD, next to `media` (message_received only): a link to the file `media` describes, on the gateway (/media/<token>, GET it with your API key) kept MEDIA_AUTO_RETENTION_MS; absent when it was not kept (too big, gone, failed, or the gateway restarted since).',
    ),
});
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;

export const messageReceivedSchema = z.object({ sessionId: z.string(), message: incomingMessageSchema, ...loggedEvent });

// ---- receiving (issue 14): events about messages ---------------------------

export const ownMessageSchema = z.object({
  sessionId: z.string(),
  message: incomingMessageSchema.describe('As in message_received, with fromMe true; `to`/`chatId` are who it went to.'),
  ...loggedEvent,
});

const messageRef = {
  sessionId: z.string(),
  messageId: z.string().describe('Serialized id of the message it is about.'),
  chatId: z.string().describe('The chat of that message.'),
};

export const messageEditedSchema = z.object({
  ...messageRef,
  text: z.string().describe('The new text (or caption).'),
  previousText: z.string().describe('The text before this edit.'),
  ...loggedEvent,
});

export const messageRevokedSchema = z.object({
  ...messageRef,
  revokedBy: z.string().describe("Who deleted it for everyone: the number (or LID) of its sender, this account's number for its own."),
  ...loggedEvent,
});

export const messageReactionSchema = z.object({
  ...messageRef,
  from: z.string().describe("Who reacted: number, or LID when WhatsApp does not know it; this account's number for its own reactions."),
  emoji: z.string().describe('The reaction; "" when it was taken back.'),
  ...loggedEvent,
});

export const pollVoteSchema = z.object({
  ...messageRef,
  messageId: z.string().describe('Serialized id of the poll message.'),
  voter: z.string().describe('Number, or LID when WhatsApp does not know it.'),
  selectedOptions: z.array(z.string()).describe("The voter's current choice, by option name; [] when they took their vote back."),
  ...loggedEvent,
});

export const callReceivedSchema = z.object({
  sessionId: z.string(),
  callId: z.string(),
  from: z.string().describe('Who calls: number, or LID when WhatsApp does not know it.'),
  isVideo: z.boolean(),
  isGroup: z.boolean(),
  ...loggedEvent,
});

export const mediaDownloadedSchema = z.object({
  sessionId: z.string(),
  messageId: z.string(),
  mimetype: z.string(),
  fileName: z.string().optional().describe('The name the sender gave the file, when it had one (documents mostly).'),
  size: z.number().int().describe('Bytes of the file.'),
  data: z.string().optional().describe('The file, base64 (absent when `url` is given).'),
  url: z
    .string()
    .optional()
    .describe(
      'Path of a short-lived link to the file on the gateway (/media/<token>, relative to the address you connected to): GET it with the same API key (Authorization: Bearer or x-api-key) until `expiresAt`.',
    ),
  expiresAt: z.number().int().optional().describe('When `url` stops working (ms since the epoch; MEDIA_LINK_TTL_MS after the answer).'),
});

export const messageSentSchema = z.object({
  sessionId: z.string(),
  to: z.string().describe('`to` as sent in the request.'),
  chatId: z.string().describe('The WhatsApp chat id the message went to.'),
  message: z.string().optional(),
  type: messageTypeSchema,
  messageId: z.string().describe('WhatsApp message id; message_ack refers to it.'),
  timestamp: z.number().int().describe('Milliseconds since the epoch.'),
  clientMessageId: z.string().optional(),
  ...loggedEvent,
});

export const sendErrorSchema = z.object({
  sessionId: z.string().optional(),
  to: z.string().optional(),
  message: z.string().describe('What went wrong, in words.'),
  code: errorCodeSchema,
  clientMessageId: z.string().optional(),
  ...loggedEvent,
});

export const messageAckSchema = z.object({
  sessionId: z.string(),
  messageId: z.string(),
  ack: z
    .enum(ACK_STATUSES)
    .describe(`How far the message got, in order: ${ACK_PROGRESS.join(' → ')}. \`${ACK_FAILED}\`: it failed, after any of them.`),
  ...loggedEvent,
});

export const phoneCheckResultSchema = z.object({
  sessionId: z.string(),
  phoneNumber: z.string(),
  exists: z.boolean(),
  jid: z.string().nullable(),
  lid: z.string().optional().describe("The number's LID (…@lid), when WhatsApp Web knows it."),
});

export const phoneCheckErrorSchema = z.object({
  sessionId: z.string().optional(),
  phoneNumber: z.string().optional(),
  message: z.string(),
  code: errorCodeSchema,
});

export const profileInfoSchema = z.object({
  sessionId: z.string(),
  phoneNumber: z.string(),
  profileInfo: z.object({
    jid: z.string(),
    name: z.string().nullable(),
    pushname: z.string().nullable(),
    about: z.string().nullable(),
    profilePicUrl: z.string().nullable(),
    isBusiness: z.boolean(),
  }),
});
export type ProfileInfo = z.infer<typeof profileInfoSchema>['profileInfo'];

export const typingStateSchema = z.object({
  sessionId: z.string(),
  to: z.string(),
  isTyping: z.boolean(),
  state: z.enum(TYPING_STATES).describe('The state shown: typing, recording or paused.'),
});

export const reactionSentSchema = z.object({ sessionId: z.string(), messageId: z.string(), emoji: z.string() });

export const messageEditSentSchema = z.object({ sessionId: z.string(), messageId: z.string(), text: z.string() });

export const messageDeletedSchema = z.object({ sessionId: z.string(), messageId: z.string(), forEveryone: z.boolean() });

export const messageForwardedSchema = z.object({
  sessionId: z.string(),
  messageId: z.string().describe('The forwarded message.'),
  to: z.string().describe('`to` as sent in the request.'),
  chatId: z.string().describe('The WhatsApp chat id it was forwarded to.'),
});

export const presenceStateSchema = z.object({ sessionId: z.string(), available: z.boolean() });

export const messageReadSchema = z.object({ sessionId: z.string(), messageKey: readMessageSchema.shape.messageKey });

export const activeSessionsSchema = z.array(activeSessionSchema);

export const sessionsLoadedSchema = z.object({
  loaded: z.array(z.string()),
  alreadyActive: z.array(z.string()),
  failed: z
    .array(z.object({ sessionId: z.string(), code: errorCodeSchema, message: z.string() }))
    .describe('Stored logins that were not started, and why (e.g. `max_sessions`: a limit was reached); the others still loaded.'),
});

export const availableSessionsSchema = z.array(z.object({ sessionId: z.string(), isActive: z.boolean() }));

export const replayReportSchema = z.object({
  events: z.number().int().describe('Events sent again from the log.'),
  lastSeq: z
    .number()
    .int()
    .describe('You now have every event of the session up to this seq (your `since` when nothing was missing); live events follow it.'),
  truncated: z
    .boolean()
    .describe(
      'True when events after your `since` are no longer kept (older than EVENT_LOG_RETENTION_MS, or more than EVENT_LOG_MAX_EVENTS), or the log does not know your seq (its store was reset): the replay starts at the oldest event kept.',
    ),
});

export const subscribedSchema = z.object({
  sessionIds: subscribeSchema.shape.sessionIds,
  replayed: z.record(z.string(), replayReportSchema).optional().describe('Per session resumed with `since`: what was sent again.'),
});

export const sessionErrorSchema = z.object({
  sessionId: z.string().optional(),
  event: z.string().optional().describe('The client event that failed, when the error answers one.'),
  message: z.string(),
  code: errorCodeSchema,
  ...loggedEvent,
});

export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'unknown'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** What each outbox state means; docs/protocol.md shows these. */
export const OUTBOX_STATE_MEANINGS = {
  queued: 'Accepted and kept in the outbox, waiting for its turn (or for its session to connect).',
  sending: 'Being handed to WhatsApp.',
  sent: 'WhatsApp accepted it: `messageId` is set, `ack` tells how far it got.',
  failed: 'Not sent; `error` says why. A send with the same clientMessageId tries again.',
  unknown: 'It may or may not have gone out (`error`: send_unconfirmed or send_interrupted); it is never sent again by the gateway.',
} as const satisfies Record<OutboxState, string>;

export const messageStatusSchema = z.object({
  sessionId: z.string(),
  clientMessageId: z.string().optional(),
  status: z.enum(OUTBOX_STATES).meta({ 'x-enum-descriptions': OUTBOX_STATES.map((state) => OUTBOX_STATE_MEANINGS[state]) }),
  to: z.string().describe('`to` as sent in the request.'),
  type: messageTypeSchema,
  chatId: z.string().optional().describe('The WhatsApp chat id it went (or was going) to, once known.'),
  messageId: z.string().optional().describe('WhatsApp message id, once sent.'),
  ack: z.enum(ACK_STATUSES).optional().describe('The latest delivery progress WhatsApp reported for it.'),
  error: z.object({ code: errorCodeSchema, message: z.string() }).optional().describe('Why it failed, or why its outcome is unknown.'),
  acceptedAt: z.number().int().describe('Milliseconds since the epoch.'),
  sentAt: z.number().int().optional().describe('When WhatsApp accepted it.'),
  updatedAt: z.number().int().describe('When its status or ack last changed.'),
});

export const gatewayShutdownSchema = z.object({
  graceMs: z.number().int().describe('How long queued messages still have to go out before the connection closes.'),
});
