/**
 * Numbers and profiles through whatsapp-web.js and the page; the contact list, the blocklist and LID
 * <-> phone lookups (issue 15) through the library's Client.getContacts, getBlockedContacts,
 * getContactLidAndPhone and Contact.block/unblock, with the LIDs the page already knows.
 */
import type wwebjs from 'whatsapp-web.js';
import { isLidId, toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { ContactSummary, ProfileInfo } from '../../protocol/schemas';
import type { ContactBook, Contacts, NumberLookup, ResolvedContact } from '../capabilities/contacts';
import type { ClientCalls } from './client-calls';
import { LIDS_OF_PHONES } from './contact-scripts';
import type { LidDirectory } from './lid-directory';
import { LOOKUP_NUMBER } from './page-scripts';

export class WwebjsContacts implements Contacts, ContactBook {
  constructor(
    private readonly calls: ClientCalls,
    private readonly lids: LidDirectory,
  ) {}

  lookupNumber(chatId: string): Promise<NumberLookup | null> {
    return this.calls.script('number lookup', LOOKUP_NUMBER, chatId);
  }

  getProfile(chatId: string): Promise<ProfileInfo> {
    return this.calls.run('profile lookup', async (client) => {
      const contact = await client.getContactById(chatId);
      const [about, profilePicUrl] = await Promise.all([orNull(() => contact.getAbout()), client.getProfilePicUrl(chatId)]);
      return {
        jid: contact.id._serialized,
        name: contact.name ?? null,
        pushname: contact.pushname || null,
        about,
        profilePicUrl: profilePicUrl ?? null,
        isBusiness: contact.isBusiness,
      };
    });
  }

  /** People only (no groups, channels or the account itself); a LID the page maps to a number comes as that number. */
  async list(): Promise<ContactSummary[]> {
    const contacts = await this.calls.run('contact list', (client) => client.getContacts());
    return this.summarize(contacts.filter((contact) => contact.isUser && !contact.isMe));
  }

  async blocked(): Promise<ContactSummary[]> {
    return this.summarize(await this.calls.run('blocklist', (client) => client.getBlockedContacts()));
  }

  async setBlocked(chatId: string, blocked: boolean): Promise<void> {
    await this.calls.run(blocked ? 'block' : 'unblock', async (client) => {
      const contact = await client.getContactById(chatId);
      // false: the library does not block groups.
      if (!(blocked ? await contact.block() : await contact.unblock())) {
        throw new GatewayError('invalid_number', `${chatId} is a group; only people can be blocked`);
      }
    });
  }

  /**
   * A LID's number from what the page already knows (lid-directory.ts); else the library's
   * getContactLidAndPhone, which asks WhatsApp only about what the page does not know.
   */
  async resolve(chatId: string): Promise<ResolvedContact | null> {
    if (isLidId(chatId)) {
      const phoneId = (await this.lids.phonesOf([chatId])).get(chatId);
      if (phoneId) return { phoneId, lid: chatId };
    }
    const [found] = await this.calls.run('LID and phone lookup', (client) => client.getContactLidAndPhone([chatId]));
    const phoneId = found?.pn ?? null;
    const lid = found?.lid ?? null;
    return phoneId || lid ? { phoneId, lid } : null;
  }

  /** One entry per id (a person can be in the page both by number and by LID), with the LIDs the page knows. */
  private async summarize(contacts: wwebjs.Contact[]): Promise<ContactSummary[]> {
    const byId = new Map<string, ContactSummary>();
    for (const contact of contacts) {
      const id = contact.id._serialized;
      byId.set(id, merged(byId.get(id), summaryOf(contact)));
    }
    const phoneIds = [...byId.keys()].filter((id) => !isLidId(id));
    const lids = phoneIds.length ? await this.calls.script('LID lookup', LIDS_OF_PHONES, phoneIds) : {};
    return [...byId.values()]
      .map((contact) => ({ ...contact, lid: contact.lid ?? lids[contact.id] ?? null }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function summaryOf(contact: wwebjs.Contact): ContactSummary {
  const id = contact.id._serialized;
  const isLid = isLidId(id);
  return {
    id,
    // Contact.number is the LID's digits for a LID: not a phone number.
    number: isLid ? null : toPublicAddress(id),
    lid: isLid ? id : null,
    name: contact.name || null,
    pushname: contact.pushname || null,
    isMyContact: Boolean(contact.isMyContact),
    isBlocked: Boolean(contact.isBlocked),
    isBusiness: Boolean(contact.isBusiness),
  };
}

function merged(known: ContactSummary | undefined, next: ContactSummary): ContactSummary {
  if (!known) return next;
  return {
    ...known,
    name: known.name ?? next.name,
    pushname: known.pushname ?? next.pushname,
    isMyContact: known.isMyContact || next.isMyContact,
    isBlocked: known.isBlocked || next.isBlocked,
    isBusiness: known.isBusiness || next.isBusiness,
  };
}

export async function orNull<T>(read: () => Promise<T | null | undefined>): Promise<T | null> {
  try {
    return (await read()) ?? null;
  } catch {
    return null;
  }
}
