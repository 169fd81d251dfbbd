/**
 * The account's own profile (issue 15) through whatsapp-web.js: Client.setDisplayName, setStatus,
 * setProfilePicture and deleteProfilePicture; get_own_profile reads the page's current name and LID
 * (contact-scripts.ts) and the about text and picture as get_profile_info does.
 */
import { GatewayError } from '../../protocol/errors';
import type { OwnProfile } from '../../protocol/schemas';
import type { Account } from '../capabilities/account';
import type { MediaFile } from '../capabilities/messaging';
import type { ClientCalls } from './client-calls';
import { OWN_ACCOUNT } from './contact-scripts';
import { orNull } from './contacts';
import { toMessageMedia } from './outgoing-message';

export class WwebjsAccount implements Account {
  constructor(private readonly calls: ClientCalls) {}

  async setDisplayName(name: string): Promise<void> {
    const done = await this.calls.run('display name change', (client) => client.setDisplayName(name));
    if (!done) throw refused('WhatsApp Web does not let this account change its display name');
  }

  async setAbout(about: string): Promise<void> {
    await this.calls.run('about change', (client) => client.setStatus(about));
  }

  /** The page crops and scales the image itself (to 640 and 96 pixels), so this gets the send limit. */
  async setProfilePicture(picture: MediaFile): Promise<void> {
    const media = await toMessageMedia(picture);
    const done = await this.calls.run('profile picture change', (client) => client.setProfilePicture(media), this.calls.limits.sendMs);
    if (!done) throw refused('WhatsApp did not take the profile picture (the account may not change it, or the server refused it)');
  }

  async deleteProfilePicture(): Promise<void> {
    // The typings promise a boolean; the library answers undefined when the page says there is nothing it may delete.
    const done: boolean | undefined = await this.calls.run('profile picture removal', (client) => client.deleteProfilePicture());
    if (!done) throw refused('WhatsApp did not delete the profile picture (there is none, or the server refused)');
  }

  async ownProfile(): Promise<OwnProfile> {
    const own = await this.calls.script('own account', OWN_ACCOUNT, null);
    return this.calls.run('own profile', async (client) => {
      const { wid } = client.info;
      const [about, profilePicUrl] = await Promise.all([
        orNull(async () => (await client.getContactById(wid._serialized)).getAbout()),
        client.getProfilePicUrl(wid._serialized),
      ]);
      return { phoneNumber: wid.user, lid: own.lid, displayName: own.pushname, about, profilePicUrl: profilePicUrl ?? null };
    });
  }
}

function refused(message: string): GatewayError {
  return new GatewayError('profile_update_refused', message);
}
