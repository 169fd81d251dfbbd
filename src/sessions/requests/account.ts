/**
 * set_display_name, set_about, set_profile_picture, delete_profile_picture and get_own_profile (issue 15).
 * The picture is checked and opened by the rules of a media send (resolve-media.ts), as an image.
 */
import type { Account } from '../../engines/capabilities/account';
import { resolveMedia, type MediaSourceOptions } from '../../media/resolve-media';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { SessionManager } from '../session-manager';
import { engineCall } from './engine-call';

export class AccountRequests {
  constructor(
    private readonly manager: SessionManager,
    private readonly media: MediaSourceOptions,
  ) {}

  async setDisplayName({ sessionId, name }: RequestPayload<'set_display_name'>): Promise<RequestResult<'set_display_name'>> {
    const account = this.accountOf(sessionId);
    await engineCall(() => account.setDisplayName(name));
    return { sessionId, name };
  }

  async setAbout({ sessionId, about }: RequestPayload<'set_about'>): Promise<RequestResult<'set_about'>> {
    const account = this.accountOf(sessionId);
    await engineCall(() => account.setAbout(about));
    return { sessionId, about };
  }

  async setProfilePicture({ sessionId, media }: RequestPayload<'set_profile_picture'>): Promise<RequestResult<'set_profile_picture'>> {
    const account = this.accountOf(sessionId);
    const picture = await resolveMedia(media, 'image', this.media);
    try {
      await engineCall(() => account.setProfilePicture(picture));
      return { sessionId, mimetype: picture.mimetype, size: picture.size };
    } finally {
      picture.release?.();
    }
  }

  async deleteProfilePicture({ sessionId }: RequestPayload<'delete_profile_picture'>): Promise<RequestResult<'delete_profile_picture'>> {
    const account = this.accountOf(sessionId);
    await engineCall(() => account.deleteProfilePicture());
    return { sessionId };
  }

  async getOwnProfile({ sessionId }: RequestPayload<'get_own_profile'>): Promise<RequestResult<'get_own_profile'>> {
    const account = this.accountOf(sessionId);
    return { sessionId, ...(await engineCall(() => account.ownProfile())) };
  }

  private accountOf(sessionId: string): Account {
    const { account } = this.manager.get(sessionId).connectedEngine();
    if (!account) throw new GatewayError('not_supported', "this engine cannot change the account's profile");
    return account;
  }
}
