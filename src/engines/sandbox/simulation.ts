/**
 * The sandbox's other side, on request: messages as if someone had written (sandbox_inject_message),
 * and (receiving, issue 14) the account's own messages from its phone, edits, deletions for everyone,
 * reactions, poll votes and calls. Each is reported through the listener, as the real engine reports
 * them, and answered with what was reported.
 */
import { randomBytes } from 'node:crypto';
import { toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { IncomingMessage } from '../../protocol/schemas';
import type { IncomingCall, MessageEdit, MessageReaction, MessageRevoke, PollVote } from '../capabilities/receiving';
import type { InjectedDetails, InjectedMedia, Simulation } from '../capabilities/simulation';
import { knownFrom, type KnownMessage } from './history';
import { describeSandboxMedia, SANDBOX_MEDIA_DEFAULT_BYTES, type SandboxMedia } from './media';
import type { SandboxContext } from './sandbox-session';
import { incomingText, ownText } from './sandbox-world';

export class SandboxSimulation implements Simulation {
  constructor(
    private readonly session: SandboxContext,
    private readonly media: SandboxMedia,
  ) {}

  injectMessage(fromChatId: string, text: string, details: InjectedDetails = {}): IncomingMessage {
    const { quotedMessageId, media, ...carried } = details;
    const message: IncomingMessage = {
      ...incomingText(fromChatId, this.session.account.phoneNumber, text),
      ...carried,
      ...(quotedMessageId !== undefined && { quoted: quoteOf(this.session.history.get(quotedMessageId)) }),
      ...(carried.location && { type: 'location' }),
      ...(carried.poll && { type: 'poll' }),
    };
    if (media) Object.assign(message, this.kept(message.id, media));
    this.session.deliver(message);
    return message;
  }

  /** Keeps the file for download_media; the message then says what it carries, as the real engine's do. */
  private kept(messageId: string, { type, size = SANDBOX_MEDIA_DEFAULT_BYTES }: InjectedMedia): Partial<IncomingMessage> {
    const file = { type, size };
    this.media.remember(messageId, file);
    return { type, hasMedia: true, media: describeSandboxMedia(file) };
  }

  injectOwnMessage(toChatId: string, text: string): IncomingMessage {
    const message = ownText(toChatId, this.session.account.phoneNumber, text);
    this.session.history.remember(knownFrom(message));
    this.session.listener.onOwnMessage(message);
    return message;
  }

  editMessage(messageId: string, text: string): MessageEdit {
    const known = this.session.history.get(messageId);
    const edit = { messageId, chatId: known.chatId, text, previousText: known.text };
    this.session.history.remember({ ...known, text, ...(known.message && { message: { ...known.message, text } }) });
    this.session.listener.onMessageEdited(edit);
    return edit;
  }

  revokeMessage(messageId: string): MessageRevoke {
    const known = this.session.history.get(messageId);
    this.session.history.forget(messageId);
    const revoke = { messageId, chatId: known.chatId, revokedBy: known.from };
    this.session.listener.onMessageRevoked(revoke);
    return revoke;
  }

  react(messageId: string, fromChatId: string, emoji: string): MessageReaction {
    const known = this.session.history.get(messageId);
    const reaction = { messageId, chatId: known.chatId, from: toPublicAddress(fromChatId), emoji };
    this.session.listener.onReaction(reaction);
    return reaction;
  }

  vote(messageId: string, voterChatId: string, selectedOptions: string[]): PollVote {
    const known = this.session.history.get(messageId);
    checkVote(known, selectedOptions);
    const vote = { messageId, chatId: known.chatId, voter: toPublicAddress(voterChatId), selectedOptions };
    this.session.listener.onPollVote(vote);
    return vote;
  }

  call(fromChatId: string, isVideo: boolean): IncomingCall {
    const callId = `SANDBOXCALL${randomBytes(8).toString('hex').toUpperCase()}`;
    this.session.calling.ring(callId);
    const call = { callId, from: toPublicAddress(fromChatId), isVideo, isGroup: false };
    this.session.listener.onCall(call);
    return call;
  }
}

function quoteOf(known: KnownMessage): NonNullable<IncomingMessage['quoted']> {
  return { id: known.id, from: known.from, text: known.text, type: known.type };
}

/** As WhatsApp allows: options of this poll, one of them unless it allows several. */
function checkVote(known: KnownMessage, selected: string[]): void {
  const { poll } = known;
  if (!poll) throw new GatewayError('invalid_payload', `messageId: message ${known.id} is not a poll`);
  const unknown = selected.find((option) => !poll.options.includes(option));
  if (unknown !== undefined) throw new GatewayError('invalid_payload', `selectedOptions: "${unknown}" is not an option of this poll`);
  if (!poll.allowMultipleAnswers && selected.length > 1) {
    throw new GatewayError('invalid_payload', 'selectedOptions: this poll allows one answer');
  }
}
