/** How an accepted send ended, and the events that tell clients so. */
import { GatewayError } from '../../protocol/errors';
import type { ServerPayload } from '../../protocol/events';
import type { OutboxEntry, SendRequest, SentReceipt } from '../../storage/store';
import { textOf } from './outgoing';

type MessageSent = ServerPayload<'message_sent'>;
type SendError = ServerPayload<'send_error'>;

export type Outcome =
  | { state: 'sent'; event: MessageSent }
  | { state: 'failed' | 'unknown'; event: SendError }
  /** Not carried out yet, and kept in the outbox for after a restart (the gateway is shutting down). */
  | { state: 'pending'; error: GatewayError };

export function messageSent(request: SendRequest, receipt: SentReceipt): MessageSent {
  return {
    sessionId: request.sessionId,
    to: request.to,
    chatId: receipt.chatId,
    message: textOf(request),
    type: request.type,
    messageId: receipt.messageId,
    timestamp: receipt.sentAt,
    ...(request.clientMessageId !== undefined && { clientMessageId: request.clientMessageId }),
  };
}

export function sendError(request: SendRequest, error: GatewayError): SendError {
  return {
    sessionId: request.sessionId,
    to: request.to,
    code: error.code,
    message: error.message,
    ...(request.clientMessageId !== undefined && { clientMessageId: request.clientMessageId }),
  };
}

/** The first outcome of a finished entry, as a retry with its clientMessageId is answered. */
export function recordedOutcome(entry: OutboxEntry): Outcome | undefined {
  if (entry.state === 'sent' && entry.messageId !== undefined && entry.chatId !== undefined && entry.sentAt !== undefined) {
    return { state: 'sent', event: messageSent(entry.request, { messageId: entry.messageId, chatId: entry.chatId, sentAt: entry.sentAt }) };
  }
  if ((entry.state === 'failed' || entry.state === 'unknown') && entry.error) {
    return { state: entry.state, event: sendError(entry.request, new GatewayError(entry.error.code, entry.error.message)) };
  }
  return undefined;
}

export function expired(maxAgeMs: number): GatewayError {
  return new GatewayError('send_expired', `it waited in the outbox longer than OUTBOX_MAX_AGE_MS=${maxAgeMs} ms; it was not sent`);
}

export function interrupted(): GatewayError {
  return new GatewayError(
    'send_interrupted',
    'the gateway stopped while handing it to WhatsApp and it was not found in the chat afterwards; it may or may not have gone out',
  );
}

export function pending(): Outcome {
  const error = new GatewayError(
    'send_pending',
    'the gateway is shutting down; the message stays in the outbox and goes out after the restart',
  );
  return { state: 'pending', error };
}

/** STORE=memory keeps nothing for the restart: a message not sent at shutdown is failed. */
export function lostAtShutdown(): GatewayError {
  return new GatewayError('shutting_down', 'the gateway shut down before the message went out; STORE=memory keeps nothing for the restart');
}
