/** Numbers and profiles: what a connected engine session knows about people. */
import type { ProfileInfo } from '../../protocol/schemas';

/** A number WhatsApp knows. */
export interface NumberLookup {
  /** The id to address it by (`…@c.us`, or a LID). */
  id: string;
  /** Its LID (`…@lid`), when known. */
  lid?: string;
}

export interface Contacts {
  /** How WhatsApp knows the number, or null when it has no account. */
  lookupNumber(chatId: string): Promise<NumberLookup | null>;
  getProfile(chatId: string): Promise<ProfileInfo>;
}
