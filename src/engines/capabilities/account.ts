/** The account's own profile (issue 15): what a connected engine session can change about itself. */
import type { OwnProfile } from '../../protocol/schemas';
import type { MediaFile } from './messaging';

export interface Account {
  setDisplayName(name: string): Promise<void>;
  setAbout(about: string): Promise<void>;
  /** An image already checked by the gateway (media rules of a send). */
  setProfilePicture(picture: MediaFile): Promise<void>;
  deleteProfilePicture(): Promise<void>;
  ownProfile(): Promise<OwnProfile>;
}
