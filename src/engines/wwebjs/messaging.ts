/**
 * Sending, typing and read receipts through whatsapp-web.js. A send is reported failed only when
 * WhatsApp Web refused it; when the page may have taken it but no outcome came back, it is
 * `send_unconfirmed`, never a failure that invites a second copy.
 */
import type { Messaging, OutgoingMessage, SentMessage, SentProbe } from '../capabilities/messaging';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import type { TypingState } from '../../protocol/schemas';
import { CallTimeout, type ClientCalls } from './client-calls';
import { GatewaySends, type SendProbe } from './gateway-sends';
import { serializedKey, type LibraryMessage } from './message-mapper';
import { SENT_WA_TYPES, toSendArguments, type SendArguments } from './outgoing-message';
import { FIND_SENT, LOOKUP_NUMBER, SET_CHAT_STATE } from './page-scripts';

/** Raised inside WhatsApp Web for a number whose LID it does not know (findOrCreateLatestChat). */
const NO_LID = /No LID for user/;
/** The page went away under the call (closed, crashed, navigated): it may have carried it out. */
const PAGE_GONE = /Target closed|Session closed|Protocol error|Execution context was destroyed|detached Frame|Connection closed/i;
/** Raised by the library in the page, before sending, for a quotedMessageId it cannot find (with ignoreQuoteErrors: false). */
const NO_QUOTED = /Could not get the quoted message/;

export class WwebjsMessaging implements Messaging {
  constructor(
    private readonly calls: ClientCalls,
    /** Tells the session which of the messages the page creates for this account are these sends. */
    private readonly sends: GatewaySends = new GatewaySends(),
  ) {}

  sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    return this.sends.track(probeOf(message), () => this.sendWithLookup(chatId, message));
  }

  private async sendWithLookup(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    const args = await toSendArguments(message, (chatIds) =>
      this.calls.run('contact cards', (client) => Promise.all(chatIds.map((id) => client.getContactById(id)))),
    );
    try {
      return await this.sendOnce(chatId, args);
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'recipient_unreachable')) throw error;
      // Asking WhatsApp about the number teaches the page its LID; then one more try.
      await this.calls.script('number lookup', LOOKUP_NUMBER, chatId);
      return this.sendOnce(chatId, args);
    }
  }

  setTyping(chatId: string, state: TypingState): Promise<void> {
    return this.calls.script('typing state', SET_CHAT_STATE, { chatId, state: state === 'paused' ? 'stop' : state });
  }

  async markRead(chatId: string): Promise<void> {
    await this.calls.run('read receipt', (client) => client.sendSeen(chatId));
  }

  /** Among the messages the page has loaded: after a restart, those WhatsApp Web brought back for the chat. */
  async findSent(chatId: string, probe: SentProbe): Promise<SentMessage | undefined> {
    const found = await this.calls.script('sent message lookup', FIND_SENT, {
      chatId,
      types: [...SENT_WA_TYPES[probe.type]],
      text: probe.text ?? '',
      sinceSeconds: Math.floor(probe.since / 1000),
    });
    if (!found) return undefined;
    const landedIn = found.key.remote;
    return { id: serializedKey(found.key), timestamp: found.t * 1000, ...(landedIn !== chatId && { chatId: landedIn }) };
  }

  private async sendOnce(chatId: string, args: SendArguments): Promise<SentMessage> {
    let sent: LibraryMessage | null | undefined;
    try {
      sent = await this.calls.run('send', (client) => client.sendMessage(chatId, ...args), this.calls.limits.sendMs);
    } catch (error) {
      throw sendFailure(error);
    }
    // The library answers nothing when it cannot read the sent message back; the page had taken it by then.
    if (!sent?.id) throw unconfirmed('WhatsApp Web took the message but returned no id for it');
    return { id: serializedKey(sent.id), timestamp: sent.timestamp * 1000, chatId: sent.id.remote };
  }
}

/** Whether a failed send call might have gone out: only a refusal from the page says it did not. */
function sendFailure(error: unknown): GatewayError {
  if (!(error instanceof GatewayError)) return toGatewayError(error);
  if (error.code !== 'engine_error') return error;
  if (error instanceof CallTimeout) return unconfirmed(error.message);
  if (NO_LID.test(error.message)) {
    return new GatewayError('recipient_unreachable', `WhatsApp Web has no address for this number: ${error.message}`);
  }
  if (NO_QUOTED.test(error.message)) {
    return new GatewayError('quoted_message_not_found', 'WhatsApp Web has no message with the quotedMessageId; it was not sent');
  }
  if (PAGE_GONE.test(error.message)) return unconfirmed(`the page went away during the send (${error.message})`);
  return error;
}

/**
 * The library's `body` of the page's copy: a text's text, a caption, a poll's question. A location's
 * body is its map preview and a card's its vCard, so those (and stickers) are matched by type alone.
 */
function probeOf(message: OutgoingMessage): SendProbe {
  const waTypes = SENT_WA_TYPES[message.type];
  switch (message.type) {
    case 'text':
      return { waTypes, text: message.text };
    case 'poll':
      return { waTypes, text: message.poll.question };
    case 'location':
    case 'contact':
      return { waTypes };
    default:
      return { waTypes, ...(message.type !== 'sticker' && { text: message.caption ?? '' }) };
  }
}

function unconfirmed(detail: string): GatewayError {
  return new GatewayError('send_unconfirmed', `${detail}; it may have been delivered, so it is not reported as failed`);
}
