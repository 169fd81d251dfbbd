/** check_phone_number, get_profile_info; get_contacts, blocking and resolve_contact (issue 15). */
import type { ContactBook } from '../../engines/capabilities/contacts';
import { toChatId, toPersonId, toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { ContactSummary } from '../../protocol/schemas';
import type { Session } from '../session';
import type { SessionManager } from '../session-manager';
import { needsLookup, registeredChatId } from './addresses';
import { engineCall } from './engine-call';
import { type KeysetOrder, pageOf } from './paging';

/** get_contacts' order: by id. The cursor's JSON is `{ after: id }`. */
const byId: KeysetOrder<ContactSummary, string> = {
  keyOf: (contact) => contact.id,
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  toCursor: (id) => ({ after: id }),
  fromCursor: (json) => {
    const after = (json as { after?: unknown } | null)?.after;
    return typeof after === 'string' ? after : undefined;
  },
  notOurs: 'cursor: not a cursor this gateway gave (pass `nextCursor` of the page before)',
};

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

  async getContacts({ sessionId, limit, cursor }: RequestPayload<'get_contacts'>): Promise<RequestResult<'get_contacts'>> {
    const book = contactBookOf(this.manager.get(sessionId));
    const page = pageOf(await engineCall(() => book.list()), byId, limit, cursor);
    return { sessionId, contacts: page.items, nextCursor: page.nextCursor };
  }

  block(request: RequestPayload<'block_contact'>): Promise<RequestResult<'block_contact'>> {
    return this.setBlocked(request, true);
  }

  unblock(request: RequestPayload<'unblock_contact'>): Promise<RequestResult<'unblock_contact'>> {
    return this.setBlocked(request, false);
  }

  async getBlocked({ sessionId }: RequestPayload<'get_blocked_contacts'>): Promise<RequestResult<'get_blocked_contacts'>> {
    const book = contactBookOf(this.manager.get(sessionId));
    return { sessionId, contacts: await engineCall(() => book.blocked()) };
  }

  async resolve({ sessionId, id }: RequestPayload<'resolve_contact'>): Promise<RequestResult<'resolve_contact'>> {
    const book = contactBookOf(this.manager.get(sessionId));
    const chatId = toPersonId(id);
    const found = await engineCall(() => book.resolve(chatId));
    if (!found) throw new GatewayError('not_on_whatsapp', `${toPublicAddress(chatId)} is not on WhatsApp`);
    const number = found.phoneId === null ? null : toPublicAddress(found.phoneId);
    return { sessionId, id, phoneId: found.phoneId, number, lid: found.lid };
  }

  private async setBlocked({ sessionId, contactId }: RequestPayload<'block_contact'>, blocked: boolean) {
    const session = this.manager.get(sessionId);
    const book = contactBookOf(session);
    const chatId = await registeredChatId(session, session.connectedEngine().contacts, toPersonId(contactId));
    await engineCall(() => book.setBlocked(chatId, blocked));
    return { sessionId, contactId, isBlocked: blocked };
  }
}

function contactBookOf(session: Session): ContactBook {
  const { contactBook } = session.connectedEngine();
  if (!contactBook) throw new GatewayError('not_supported', 'this engine has no contact list');
  return contactBook;
}
