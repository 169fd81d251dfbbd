/** send_typing and read_message: what a bot does in a chat besides sending (sending.ts). */
import { chatIdOfMessage, toChatId } from '../../protocol/chat-id';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { SessionManager } from '../session-manager';
import { registeredChatId } from './addresses';
import { engineCall } from './engine-call';

export class MessagingRequests {
  constructor(private readonly manager: SessionManager) {}

  /** The schema lets exactly one of `state` and `isTyping` through. */
  async sendTyping({ sessionId, to, isTyping, state }: RequestPayload<'send_typing'>): Promise<RequestResult<'send_typing'>> {
    const session = this.manager.get(sessionId);
    const { messaging, contacts } = session.connectedEngine();
    const chatId = await registeredChatId(session, contacts, toChatId(to));
    const shown = state ?? (isTyping ? 'typing' : 'paused');
    await engineCall(() => messaging.setTyping(chatId, shown));
    return { sessionId, to, isTyping: shown !== 'paused', state: shown };
  }

  async readMessage({ sessionId, messageKey }: RequestPayload<'read_message'>): Promise<RequestResult<'read_message'>> {
    const chatId = chatIdOfMessage(messageKey);
    const { messaging } = this.manager.get(sessionId).connectedEngine();
    await engineCall(() => messaging.markRead(chatId));
    return { sessionId, messageKey };
  }
}
