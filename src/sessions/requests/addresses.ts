/**
 * Numbers a session already asked WhatsApp about, for a while: every send, typing indicator and
 * profile lookup needs the address WhatsApp knows a number by, and asking each time costs a round
 * trip to WhatsApp (and, often enough, a ban). Only numbers that exist are kept: one that did not
 * may register at any time.
 */
import type { Contacts, NumberLookup } from '../../engines/capabilities/contacts';
import { GatewayError } from '../../protocol/errors';
import type { Session } from '../session';
import { engineCall } from './engine-call';
import { dropOldest } from '../../util/bounded-map';

const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

export class AddressBook {
  private readonly entries = new Map<string, { lookup: NumberLookup; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The remembered lookup of `chatId`, else `lookup()`'s answer (remembered when the number exists). */
  async resolve(chatId: string, lookup: () => Promise<NumberLookup | null>): Promise<NumberLookup | null> {
    const known = this.entries.get(chatId);
    if (known && known.expiresAt > this.now()) return known.lookup;
    return this.remember(chatId, await lookup());
  }

  remember(chatId: string, lookup: NumberLookup | null): NumberLookup | null {
    this.entries.delete(chatId);
    if (!lookup) return null;
    this.entries.set(chatId, { lookup, expiresAt: this.now() + TTL_MS });
    dropOldest(this.entries, MAX_ENTRIES);
    return lookup;
  }
}

/** Groups and @lid ids need no lookup: they only exist on WhatsApp. */
export function needsLookup(chatId: string): boolean {
  return chatId.endsWith('@c.us');
}

/** The address WhatsApp knows a number by (which is also how the page learns its LID); `not_on_whatsapp` without one. */
export async function registeredChatId(session: Session, contacts: Contacts, chatId: string): Promise<string> {
  if (!needsLookup(chatId)) return chatId;
  const registered = await session.addresses.resolve(chatId, () => engineCall(() => contacts.lookupNumber(chatId)));
  if (!registered) throw new GatewayError('not_on_whatsapp', `${chatId.split('@')[0]} is not on WhatsApp`);
  return registered.id;
}
