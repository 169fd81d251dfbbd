/**
 * The sandbox account's own profile: its number and display name (what it connects with), and what
 * set_display_name, set_about and set_profile_picture change, kept in memory for this session.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../../protocol/errors';
import type { OwnProfile } from '../../protocol/schemas';
import type { Account } from '../capabilities/account';
import type { MediaFile } from '../capabilities/messaging';
import type { AccountInfo } from '../engine';
import { sandboxLidOf } from './contacts';

const SANDBOX_ABOUT = 'Hey there! I am using WhatsApp.';

export class SandboxAccount implements Account, AccountInfo {
  private about = SANDBOX_ABOUT;
  private profilePicUrl: string | null = null;

  constructor(
    private readonly sessionId: string,
    public phoneNumber: string,
    public pushname: string,
  ) {}

  /** What the session connects with: a copy, so later changes reach the gateway at the next connection. */
  info(): AccountInfo {
    return { phoneNumber: this.phoneNumber, pushname: this.pushname };
  }

  async setDisplayName(name: string): Promise<void> {
    this.pushname = name;
  }

  async setAbout(about: string): Promise<void> {
    this.about = about;
  }

  /** A URL that names the picture (its SHA-256) on a host that never resolves (RFC 2606). */
  async setProfilePicture(picture: MediaFile): Promise<void> {
    const digest = createHash('sha256')
      .update(await picture.load())
      .digest('hex')
      .slice(0, 16);
    this.profilePicUrl = `https://sandbox.invalid/profile-pictures/${this.sessionId}/${digest}.jpg`;
  }

  async deleteProfilePicture(): Promise<void> {
    if (!this.profilePicUrl) throw new GatewayError('profile_update_refused', 'this account has no profile picture to delete');
    this.profilePicUrl = null;
  }

  async ownProfile(): Promise<OwnProfile> {
    const { phoneNumber, pushname, about, profilePicUrl } = this;
    return { phoneNumber, lid: sandboxLidOf(phoneNumber), displayName: pushname, about, profilePicUrl };
  }
}
