/** check_phone_number and get_profile_info. */
import { toChatId } from '../../protocol/chat-id';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { SessionManager } from '../session-manager';
import { needsLookup, registeredChatId } from './addresses';
import { engineCall } from './engine-call';

export class ContactRequests {
  constructor(private readonly manager: SessionManager) {}

  async checkPhoneNumber({ sessionId, phoneNumber }: RequestPayload<'check_phone_number'>): Promise<RequestResult<'check_phone_number'>> {
    const session = this.manager.get(sessionId);
    const chatId = toChatId(phoneNumber);
    const { contacts } = session.connectedEngine();
    const found = needsLookup(chatId)
      ? session.addresses.remember(chatId, await engineCall(() => contacts.lookupNumber(chatId)))
      : { id: chatId };
    return { sessionId, phoneNumber, exists: found !== null, jid: found?.id ?? null, ...(found?.lid && { lid: found.lid }) };
  }

  async getProfileInfo({ sessionId, phoneNumber }: RequestPayload<'get_profile_info'>): Promise<RequestResult<'get_profile_info'>> {
    const session = this.manager.get(sessionId);
    const { contacts } = session.connectedEngine();
    const target = await registeredChatId(session, contacts, toChatId(phoneNumber));
    return { sessionId, phoneNumber, profileInfo: await engineCall(() => contacts.getProfile(target)) };
  }
}
