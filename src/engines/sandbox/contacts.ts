/**
 * Sandbox numbers and profiles: numbers ending in 000 are not on WhatsApp, everyone else has a plain
 * profile. The contact book (issue 15): a fixed set of saved contacts plus everyone the session has
 * talked to, a blocklist kept in memory, and a LID for every number (sandboxLidOf), as docs/sandbox.md says.
 */
import { isGroupId, isLidId, toPublicAddress } from '../../protocol/chat-id';
import type { ContactSummary, ProfileInfo } from '../../protocol/schemas';
import type { ContactBook, Contacts, NumberLookup, ResolvedContact } from '../capabilities/contacts';
import type { SandboxContext } from './sandbox-session';
import { isSandboxRegistered } from './sandbox-world';
import { readSandboxSent } from './sent-record';

export class SandboxContacts implements Contacts {
  async lookupNumber(chatId: string): Promise<NumberLookup | null> {
    return isSandboxRegistered(chatId) ? { id: chatId } : null;
  }

  async getProfile(chatId: string): Promise<ProfileInfo> {
    const name = contactNameOf(chatId);
    return { jid: chatId, name, pushname: name, about: 'Hey there! I am using WhatsApp.', profilePicUrl: null, isBusiness: false };
  }
}

type SavedContact = Pick<ContactSummary, 'name' | 'pushname' | 'isBusiness'>;

/** The address book every sandbox account has (docs/sandbox.md). */
const SANDBOX_SAVED_CONTACTS: Record<string, SavedContact> = {
  '15550100001': { name: 'Alice Example', pushname: 'Alice', isBusiness: false },
  '15550100002': { name: 'Bob Example', pushname: "Bob's Bakery", isBusiness: true },
  '15550100003': { name: 'Carol Example', pushname: null, isBusiness: false },
};

export class SandboxContactBook implements ContactBook {
  /** Phone-number ids (or LIDs without a number) of the people blocked in this run. */
  private readonly blocklist = new Set<string>();

  constructor(private readonly session: Pick<SandboxContext, 'folder' | 'delivered' | 'account'>) {}

  async list(): Promise<ContactSummary[]> {
    const ids = new Set([...Object.keys(SANDBOX_SAVED_CONTACTS).map((number) => `${number}@c.us`), ...this.blocklist]);
    for (const chatId of await this.talkedTo()) ids.add(knownAs(chatId));
    ids.delete(`${this.session.account.phoneNumber}@c.us`);
    return [...ids].sort().map((id) => this.summaryOf(id));
  }

  async blocked(): Promise<ContactSummary[]> {
    return [...this.blocklist].sort().map((id) => this.summaryOf(id));
  }

  async setBlocked(chatId: string, blocked: boolean): Promise<void> {
    if (blocked) this.blocklist.add(knownAs(chatId));
    else this.blocklist.delete(knownAs(chatId));
  }

  async resolve(chatId: string): Promise<ResolvedContact | null> {
    const phoneId = isLidId(chatId) ? sandboxPhoneIdOfLid(chatId) : chatId;
    if (phoneId && !isSandboxRegistered(phoneId)) return null;
    return { phoneId, lid: phoneId ? sandboxLidOf(toPublicAddress(phoneId)) : chatId };
  }

  /** People this session sent to (also before a restart: the sent record) or received from in this run. */
  private async talkedTo(): Promise<string[]> {
    const sent = (await readSandboxSent(this.session.folder)).map((record) => record.chatId);
    const received = [...this.session.delivered].map((messageId) => messageId.split('_')[1] ?? '');
    return [...sent, ...received].filter((chatId) => chatId.includes('@') && !isGroupId(chatId));
  }

  private summaryOf(id: string): ContactSummary {
    const number = isLidId(id) ? null : toPublicAddress(id);
    const saved = number === null ? undefined : SANDBOX_SAVED_CONTACTS[number];
    return {
      id,
      number,
      lid: number === null ? id : sandboxLidOf(number),
      name: saved?.name ?? null,
      pushname: saved ? saved.pushname : contactNameOf(id),
      isMyContact: saved !== undefined,
      isBlocked: this.blocklist.has(id),
      isBusiness: saved?.isBusiness ?? false,
    };
  }
}

/** The sandbox's LID of a number: "2", then the number padded to 14 digits, reversed (as the double makes them). */
export function sandboxLidOf(phoneNumber: string): string {
  return `2${phoneNumber.padStart(14, '0').split('').reverse().join('')}@lid`;
}

/** The phone-number id of a LID sandboxLidOf made; null for any other LID (its number is unknown). */
function sandboxPhoneIdOfLid(lid: string): string | null {
  const match = /^2(\d{14})@lid$/.exec(lid);
  const digits = match?.[1]!.split('').reverse().join('').replace(/^0+/, '');
  return digits && digits.length >= 6 ? `${digits}@c.us` : null;
}

/** How a person is listed: by phone-number id when it is known, as WhatsApp Web lists a LID whose number it knows. */
function knownAs(chatId: string): string {
  return isLidId(chatId) ? (sandboxPhoneIdOfLid(chatId) ?? chatId) : chatId;
}

function contactNameOf(chatId: string): string {
  return `Contact ${chatId.split('@')[0]!.slice(-4)}`;
}
