/** Incoming traffic on demand: only engines that simulate WhatsApp (the sandbox) have it. */
import type { IncomingMessage, SANDBOX_MEDIA_TYPES } from '../../protocol/schemas';
import type { IncomingCall, MessageEdit, MessageReaction, MessageRevoke, PollVote } from './receiving';

/** A made-up file for an injected message to carry. */
export interface InjectedMedia {
  type: (typeof SANDBOX_MEDIA_TYPES)[number];
  size?: number;
}

/** What an injected message may carry beside its text (receiving and media download, issue 14). */
export type InjectedDetails = Partial<Pick<IncomingMessage, 'mentions' | 'location' | 'poll' | 'isForwarded'>> & {
  /** The id of a message the sandbox knows, which this one replies to. */
  quotedMessageId?: string;
  /** Makes it a media message captioned with its text. */
  media?: InjectedMedia;
};

export interface Simulation {
  /** Delivers a message as if `fromChatId` had written it, and answers it. */
  injectMessage(fromChatId: string, text: string, details?: InjectedDetails): IncomingMessage;
  // receiving (issue 14): each reports its event through the listener and answers it
  /** A message the account sends to `toChatId` from its phone. */
  injectOwnMessage(toChatId: string, text: string): IncomingMessage;
  /** Its sender edits a known message. */
  editMessage(messageId: string, text: string): MessageEdit;
  /** Its sender deletes a known message for everyone. */
  revokeMessage(messageId: string): MessageRevoke;
  react(messageId: string, fromChatId: string, emoji: string): MessageReaction;
  /** `selectedOptions` must be options of the known poll `messageId`. */
  vote(messageId: string, voterChatId: string, selectedOptions: string[]): PollVote;
  call(fromChatId: string, isVideo: boolean): IncomingCall;
}
