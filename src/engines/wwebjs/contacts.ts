/** Numbers and profiles through whatsapp-web.js and the page. */
import type { Contacts, NumberLookup } from '../capabilities/contacts';
import type { ProfileInfo } from '../../protocol/schemas';
import type { ClientCalls } from './client-calls';
import { LOOKUP_NUMBER } from './page-scripts';

export class WwebjsContacts implements Contacts {
  constructor(private readonly calls: ClientCalls) {}

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
}

async function orNull<T>(read: () => Promise<T | null | undefined>): Promise<T | null> {
  try {
    return (await read()) ?? null;
  } catch {
    return null;
  }
}
