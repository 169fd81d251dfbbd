/** get_message_status: where a message sent through a session is, read from the outbox (also after a restart). */
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { OutboxEntry, Store } from '../../storage/store';

type StatusRequest = RequestPayload<'get_message_status'>;
type MessageStatus = RequestResult<'get_message_status'>;

export class MessageStatusRequests {
  constructor(private readonly store: Store) {}

  async status({ sessionId, clientMessageId, messageId }: StatusRequest): Promise<MessageStatus> {
    const entry =
      clientMessageId !== undefined
        ? await this.store.outbox.byClientMessageId(sessionId, clientMessageId)
        : await this.store.outbox.byMessageId(sessionId, messageId ?? '');
    if (!entry) {
      const asked = clientMessageId !== undefined ? `clientMessageId "${clientMessageId}"` : `messageId "${messageId}"`;
      throw new GatewayError('message_not_found', `session "${sessionId}" has no message with ${asked} among the receipts it keeps`);
    }
    return toStatus(entry);
  }
}

function toStatus(entry: OutboxEntry): MessageStatus {
  return {
    sessionId: entry.sessionId,
    ...(entry.clientMessageId !== undefined && { clientMessageId: entry.clientMessageId }),
    status: entry.state,
    to: entry.request.to,
    type: entry.request.type,
    ...(entry.chatId !== undefined && { chatId: entry.chatId }),
    ...(entry.messageId !== undefined && { messageId: entry.messageId }),
    ...(entry.ack !== undefined && { ack: entry.ack }),
    ...(entry.error !== undefined && { error: entry.error }),
    acceptedAt: entry.createdAt,
    ...(entry.sentAt !== undefined && { sentAt: entry.sentAt }),
    updatedAt: entry.updatedAt,
  };
}
