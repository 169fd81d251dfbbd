/** send_typing and read_message: what a bot does in a chat besides sending (sending.ts). */
import { chatIdOfMessage, toChatId } from '../../protocol/chat-id';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { SessionManager } from '../session-manager';
import { registeredChatId } from './addresses';
import { engineCall } from './engine-call';

export class MessagingRequests {
  constructor(private readonly manager: SessionManager) {}

  async sendTyping({ sessionId, to, isTyping }: RequestPayload<'send_typing'>): Promise<RequestResult<'send_typing'>> {
    const session = this.manager.get(sessionId);
    const { messaging, contacts } = session.connectedEngine();
    const chatId = await registeredChatId(session, contacts, toChatId(to));
    await engineCall(() => messaging.setTyping(chatId, isTyping));
    return { sessionId, to, isTyping };
  }

  async readMessage({ sessionId, messageKey }: RequestPayload<'read_message'>): Promise<RequestResult<'read_message'>> {
    const chatId = chatIdOfMessage(messageKey);
    const { messaging } = this.manager.get(sessionId).connectedEngine();
    await engineCall(() => messaging.markRead(chatId));
    return { sessionId, messageKey };
  }
}
