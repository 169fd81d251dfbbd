/** Receiving (issue 14): incoming and own messages, and the events about messages and calls. */
import { z } from 'zod';
import { TEXT_MAX_LENGTH } from './common';
import { chatAddress, loggedEvent } from './fields';

export const INCOMING_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contact', 'poll', 'other'] as const;

export const messageKeySchema = z.object({
  remoteJid: chatAddress,
  id: z.string().min(1).max(256),
  fromMe: z.boolean().optional(),
  participant: chatAddress.optional(),
});

/** A location as a received message carries it (receiving, issue 14). */
export const receivedLocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(1024).optional(),
  address: z.string().max(1024).optional(),
  url: z.string().max(2048).optional(),
});

/** A poll as a received message carries it (receiving, issue 14). */
export const receivedPollSchema = z.object({
  question: z.string().max(TEXT_MAX_LENGTH),
  options: z.array(z.string().max(256)).min(1).max(12),
  allowMultipleAnswers: z.boolean(),
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

export const messageReceivedSchema = z.object({
  sessionId: z.string(),
  message: incomingMessageSchema,
  // catch-up after downtime (issue 15)
  backfilled: z
    .literal(true)
    .optional()
    .describe(
      'It arrived while the gateway (or the session) was not running, and was found in the chats when the session connected again (within BACKFILL_WINDOW_MS); each message is delivered once, live or backfilled.',
    ),
  ...loggedEvent,
});

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
