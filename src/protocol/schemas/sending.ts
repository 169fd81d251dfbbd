/** send_whatsapp_message: the message types and their content, and its answers message_sent and send_error. */
import { z } from 'zod';
import { requiredBy } from '../required-by';
import { errorCodeSchema, sessionIdSchema, TEXT_MAX_LENGTH } from './common';
import { chatAddress, loggedEvent, messageIdSchema } from './fields';

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

export const inlineMediaSchema = z.object({
  data: z.string().min(1).describe('Base64 bytes.'),
  mimetype: z.string().min(3).max(255),
  fileName: z.string().min(1).max(255).optional(),
});
export type InlineMedia = z.infer<typeof inlineMediaSchema>;

const locationSchema = z
  .object({
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().trim().min(1).max(256).optional().describe('Shown above the address, e.g. a place name.'),
    address: z.string().trim().min(1).max(256).optional(),
  })
  .describe('For type "location": a point on the map, in degrees.');
export type LocationPayload = z.infer<typeof locationSchema>;

/** Gateway limits: WhatsApp publishes none for the number of cards in one message. */
const CONTACT_CARDS_MAX = 20;
const VCARD_MAX_LENGTH = 10_000;

/** The library sends text that starts BEGIN:VCARD as a card, and as plain text whatever WhatsApp Web cannot read as one. */
function isOneVcard(text: string): boolean {
  const lines = text.split(/\r?\n/);
  return lines[0] === 'BEGIN:VCARD' && lines.at(-1) === 'END:VCARD' && lines.some((line) => /^FN[;:].*\S/.test(line));
}

const contactSchema = z
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

const POLL_OPTIONS_MIN = 2;
const POLL_OPTIONS_MAX = 12;

const pollSchema = z
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

/** A gateway limit, far above what a message needs. */
const MENTIONS_MAX = 256;

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
