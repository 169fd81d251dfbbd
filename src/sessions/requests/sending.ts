/**
 * send_whatsapp_message, on one straight path: check the request, queue it behind the session's
 * earlier sends, look the number up, send, answer `message_sent`. A repeated clientMessageId answers
 * the first outcome instead of sending again. Settings are given once, at construction.
 */
import type { OutgoingMessage, Messaging } from '../../engines/capabilities/messaging';
import { resolveMedia, type MediaSourceOptions } from '../../media/resolve-media';
import { toChatId } from '../../protocol/chat-id';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import { IdempotencyCache } from '../idempotency';
import type { Session } from '../session';
import type { SessionManager } from '../session-manager';
import { registeredChatId } from './addresses';
import { engineCall } from './engine-call';

type SendRequest = RequestPayload<'send_whatsapp_message'>;
type MessageSent = RequestResult<'send_whatsapp_message'>;

export interface SendPolicy {
  media: MediaSourceOptions;
  maxTextLength: number;
  maxCaptionLength: number;
  /** Show "typing…" this long before a text goes out (0 = off). */
  typingMs: number;
  /** How long a queued message waits for a session whose browser is restarting. */
  retryWindowMs: number;
  /** clientMessageId receipts kept (24 h each). */
  receiptsMax: number;
}

export interface SendingOptions {
  policy: SendPolicy;
  /** Wraps every send, e.g. to time it for metrics. */
  observe?: <T>(sessionId: string, send: Promise<T>) => Promise<T>;
}

/** What WhatsApp gave back for a sent message; all a repeated clientMessageId needs to be answered again. */
interface SendReceipt {
  chatId: string;
  messageId: string;
  timestamp: number;
}

export class Sending {
  /** Receipts by clientMessageId (small: no message text), across all sessions. */
  private readonly receipts: IdempotencyCache<SendReceipt>;

  constructor(
    private readonly manager: SessionManager,
    private readonly options: SendingOptions,
  ) {
    // A send that may have gone out answers its retries the same way: it is never sent twice.
    this.receipts = new IdempotencyCache(options.policy.receiptsMax, {
      keepFailure: (error) => toGatewayError(error).code === 'send_unconfirmed',
    });
  }

  async send(request: SendRequest): Promise<MessageSent> {
    const send = () => this.sendOnce(this.manager.get(request.sessionId), request);
    const receipt =
      request.clientMessageId === undefined ? send() : this.receipts.run(`${request.sessionId}\u0000${request.clientMessageId}`, send);
    const answered = this.options.observe ? this.options.observe(request.sessionId, receipt) : receipt;
    return messageSent(request, await answered);
  }

  private async sendOnce(session: Session, request: SendRequest): Promise<SendReceipt> {
    const { policy } = this.options;
    const chatId = toChatId(request.to);
    const outgoing = await toOutgoing(request, policy);
    try {
      session.connectedEngine();
      return await session.queue.push(async () => {
        const { messaging, contacts } = await session.waitForConnection(policy.retryWindowMs);
        const target = await registeredChatId(session, contacts, chatId);
        if (outgoing.type === 'text' && policy.typingMs > 0) await simulateTyping(messaging, target, policy.typingMs);
        const sent = await engineCall(() => messaging.sendMessage(target, outgoing));
        return { chatId: sent.chatId ?? target, messageId: sent.id, timestamp: sent.timestamp };
      });
    } finally {
      // Sent, failed, refused (queue_full, not connected) or cancelled (session_stopped): the open file goes.
      if (outgoing.type !== 'text') outgoing.media.release?.();
    }
  }
}

function messageSent(request: SendRequest, receipt: SendReceipt): MessageSent {
  return {
    sessionId: request.sessionId,
    to: request.to,
    chatId: receipt.chatId,
    message: textOf(request),
    type: request.type,
    messageId: receipt.messageId,
    timestamp: receipt.timestamp,
    ...(request.clientMessageId !== undefined && { clientMessageId: request.clientMessageId }),
  };
}

/** The text of a text message, or the caption of a media message (`caption` wins over `message`). */
function textOf(request: SendRequest): string | undefined {
  return request.type === 'text' ? request.message : (request.caption ?? request.message);
}

async function toOutgoing(request: SendRequest, policy: SendPolicy): Promise<OutgoingMessage> {
  const text = textOf(request);
  if (request.type === 'text') return { type: 'text', text: withinLength('message', text ?? '', policy.maxTextLength) };
  const caption =
    text === undefined ? undefined : withinLength(request.caption !== undefined ? 'caption' : 'message', text, policy.maxCaptionLength);
  // The schema's rule (MESSAGE_TYPE_NEEDS) has already refused a media type without media.
  const media = await resolveMedia(request.media!, request.type, policy.media, request.fileName);
  return { type: request.type, media, ...(caption !== undefined && { caption }) };
}

function withinLength(field: string, text: string, max: number): string {
  if (text.length > max) throw new GatewayError('invalid_payload', `${field}: at most ${max} characters (got ${text.length})`);
  return text;
}

/** A side step: its failure must not fail the send. */
async function simulateTyping(messaging: Messaging, chatId: string, ms: number): Promise<void> {
  await messaging.setTyping(chatId, true).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await messaging.setTyping(chatId, false).catch(() => undefined);
}
