/** Sending, typing and read receipts: what a connected engine session does with messages. */
import type { LocationPayload, MediaMessageType, MessageType, PollPayload, TypingState } from '../../protocol/schemas';

/** Media already checked by the gateway (source allowed, type fits, size capped). */
export interface MediaFile {
  mimetype: string;
  fileName: string;
  /** Bytes; once load() resolved, the length of what it read (a file may have changed since it was checked). */
  readonly size: number;
  /** The bytes; read only when the message is actually sent, still within the size cap. */
  load(): Promise<Buffer>;
  /** Lets go of what load() reads from (an open file), for sources that hold one. Called once the send is over, whatever its outcome. */
  release?(): void;
}

/** What a message of any kind can carry besides its content. */
export interface OutgoingContext {
  /** The serialized id of the message this one replies to. */
  quotedMessageId?: string;
  /** Person ids (…@c.us, …@lid) mentioned in the text. */
  mentions?: string[];
}

interface OutgoingText extends OutgoingContext {
  type: 'text';
  text: string;
}

export interface OutgoingMedia extends OutgoingContext {
  type: MediaMessageType;
  media: MediaFile;
  /** Never set for a sticker. */
  caption?: string;
}

interface OutgoingLocation extends OutgoingContext {
  type: 'location';
  location: LocationPayload;
}

/** Cards of contacts WhatsApp knows (by chat id, …@c.us), or one card given as vCard text. */
export type ContactCards = { chatIds: string[] } | { vcard: string };

interface OutgoingContact extends OutgoingContext {
  type: 'contact';
  cards: ContactCards;
}

interface OutgoingPoll extends OutgoingContext {
  type: 'poll';
  poll: PollPayload;
}

/** A message to send; a new kind of message is a new member here. */
export type OutgoingMessage = OutgoingText | OutgoingMedia | OutgoingLocation | OutgoingContact | OutgoingPoll;

/** A location's name and address as WhatsApp shows them under the map (and keeps as its description). */
export function locationText({ name, address }: Pick<LocationPayload, 'name' | 'address'>): string {
  return [name, address].filter(Boolean).join('\n');
}

export interface SentMessage {
  /** WhatsApp's serialized message id. */
  id: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** The chat it landed in, when WhatsApp addressed it differently (a person's LID chat). */
  chatId?: string;
}

/** What a send that was under way when the gateway died looked like, to find it among the chat's own messages. */
export interface SentProbe {
  type: MessageType;
  /**
   * The text of a text message, the caption of a media message, the question of a poll, the
   * locationText of a location; absent for a sticker or a contact card, which are matched by type alone.
   */
  text?: string;
  /** When it was handed to WhatsApp (ms since the epoch); a message sent before it cannot be this one. */
  since: number;
}

/**
 * Chat ids are WhatsApp ids (`…@c.us`, `…@g.us`, `…@lid`), already validated. Methods reject with a
 * GatewayError, or with anything else for the caller to wrap.
 */
export interface Messaging {
  sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage>;
  setTyping(chatId: string, state: TypingState): Promise<void>;
  markRead(chatId: string): Promise<void>;
  /**
   * The earliest message this account sent to the chat at or after `probe.since` that matches the
   * probe (type and text), if the engine can see it. Used only for a send interrupted by a crash:
   * found means it went out, not found means nothing is known.
   */
  findSent?(chatId: string, probe: SentProbe): Promise<SentMessage | undefined>;
}
