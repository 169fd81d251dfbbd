/** Sandbox numbers and profiles: numbers ending in 000 are not on WhatsApp, everyone else has a plain profile. */
import type { ProfileInfo } from '../../protocol/schemas';
import type { Contacts, NumberLookup } from '../capabilities/contacts';
import { isSandboxRegistered } from './sandbox-world';

export class SandboxContacts implements Contacts {
  async lookupNumber(chatId: string): Promise<NumberLookup | null> {
    return isSandboxRegistered(chatId) ? { id: chatId } : null;
  }

  async getProfile(chatId: string): Promise<ProfileInfo> {
    const name = `Contact ${chatId.split('@')[0]!.slice(-4)}`;
    return { jid: chatId, name, pushname: name, about: 'Hey there! I am using WhatsApp.', profilePicUrl: null, isBusiness: false };
  }
}
