/** Numbers and profiles: what a connected engine session knows about people. */
import type { ContactSummary, ProfileInfo } from '../../protocol/schemas';

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

/** A person's two addresses, as far as WhatsApp knows them (issue 15); never guessed. */
export interface ResolvedContact {
  /** `…@c.us`. */
  phoneId: string | null;
  /** `…@lid`. */
  lid: string | null;
}

/** The account's contact list and blocklist, and LID <-> phone lookups (issue 15). */
export interface ContactBook {
  /** Every person WhatsApp Web knows (saved or met), once each, ordered by id. */
  list(): Promise<ContactSummary[]>;
  blocked(): Promise<ContactSummary[]>;
  /** Blocks or unblocks a person (`…@c.us` or `…@lid`) known to be on WhatsApp. */
  setBlocked(chatId: string, blocked: boolean): Promise<void>;
  /** Both addresses of a person (`…@c.us` or `…@lid`), or null when WhatsApp has no such account. */
  resolve(chatId: string): Promise<ResolvedContact | null>;
}
