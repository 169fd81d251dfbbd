/**
 * Sending, typing and read receipts through whatsapp-web.js. A send is reported failed only when
 * WhatsApp Web refused it; when the page may have taken it but no outcome came back, it is
 * `send_unconfirmed`, never a failure that invites a second copy.
 */
import type { Messaging, OutgoingMessage, SentMessage, SentProbe } from '../capabilities/messaging';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import { CallTimeout, type ClientCalls } from './client-calls';
import { GatewaySends, type SendProbe } from './gateway-sends';
import { serializedKey, waTypesOf, type LibraryMessage } from './message-mapper';
import { toSendArguments, type SendArguments } from './outgoing-message';
import { FIND_SENT, LOOKUP_NUMBER, SET_CHAT_STATE } from './page-scripts';

/** Raised inside WhatsApp Web for a number whose LID it does not know (findOrCreateLatestChat). */
const NO_LID = /No LID for user/;
/** The page went away under the call (closed, crashed, navigated): it may have carried it out. */
const PAGE_GONE = /Target closed|Session closed|Protocol error|Execution context was destroyed|detached Frame|Connection closed/i;

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
    const args = await toSendArguments(message);
    try {
      return await this.sendOnce(chatId, args);
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'recipient_unreachable')) throw error;
      // Asking WhatsApp about the number teaches the page its LID; then one more try.
      await this.calls.script('number lookup', LOOKUP_NUMBER, chatId);
      return this.sendOnce(chatId, args);
    }
  }

  setTyping(chatId: string, isTyping: boolean): Promise<void> {
    return this.calls.script('typing state', SET_CHAT_STATE, { chatId, state: isTyping ? 'typing' : 'stop' });
  }

  async markRead(chatId: string): Promise<void> {
    await this.calls.run('read receipt', (client) => client.sendSeen(chatId));
  }

  /** Among the messages the page has loaded: after a restart, those WhatsApp Web brought back for the chat. */
  async findSent(chatId: string, probe: SentProbe): Promise<SentMessage | undefined> {
    const found = await this.calls.script('sent message lookup', FIND_SENT, {
      chatId,
      types: waTypesOf(probe.type),
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
  if (PAGE_GONE.test(error.message)) return unconfirmed(`the page went away during the send (${error.message})`);
  return error;
}

function probeOf(message: OutgoingMessage): SendProbe {
  const text = message.type === 'text' ? message.text : message.caption;
  return { waTypes: waTypesOf(message.type), text: text ?? '' };
}

function unconfirmed(detail: string): GatewayError {
  return new GatewayError('send_unconfirmed', `${detail}; it may have been delivered, so it is not reported as failed`);
}
