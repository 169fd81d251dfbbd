/** Sending, typing and read receipts: what a connected engine session does with messages. */
import type { MessageType } from '../../protocol/schemas';

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

export interface OutgoingText {
  type: 'text';
  text: string;
}

export interface OutgoingMedia {
  type: Exclude<MessageType, 'text'>;
  media: MediaFile;
  caption?: string;
}

/** A message to send; a new kind of message is a new member here. */
export type OutgoingMessage = OutgoingText | OutgoingMedia;

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
  /** The text of a text message, or the caption of a media message. */
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
  setTyping(chatId: string, isTyping: boolean): Promise<void>;
  markRead(chatId: string): Promise<void>;
  /**
   * The earliest message this account sent to the chat at or after `probe.since` that matches the
   * probe (type and text), if the engine can see it. Used only for a send interrupted by a crash:
   * found means it went out, not found means nothing is known.
   */
  findSent?(chatId: string, probe: SentProbe): Promise<SentMessage | undefined>;
}
