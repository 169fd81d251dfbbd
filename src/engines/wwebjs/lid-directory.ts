/**
 * Phone numbers of LIDs, as far as WhatsApp Web knows them. The page is asked only what it already
 * knows (asking WhatsApp about contacts is rate-limited and gets numbers banned); a mapping does not
 * change, so found numbers are kept, and an unknown LID is asked about again after a while.
 */
import type { LidPhones } from './message-mapper';
import { dropOldest } from '../../util/bounded-map';

const UNKNOWN_RETRY_MS = 60_000;
const MAX_ENTRIES = 10_000;

export class LidDirectory {
  private readonly phones = new Map<string, string>();
  private readonly unknownUntil = new Map<string, number>();
  /** Lookups on their way, so messages arriving together ask about a LID once. */
  private readonly asking = new Map<string, Promise<void>>();

  constructor(
    /** Phone-number ids for the LIDs the page can map; rejects when the page cannot be asked. */
    private readonly ask: (lids: string[]) => Promise<Record<string, string>>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The known phone numbers of `lids`. A page that cannot answer leaves them unknown; it never throws. */
  async phonesOf(lids: readonly string[]): Promise<LidPhones> {
    const now = this.now();
    const wanted = [...new Set(lids)].filter(
      (lid) => !this.phones.has(lid) && !this.asking.has(lid) && (this.unknownUntil.get(lid) ?? 0) <= now,
    );
    if (wanted.length) {
      const lookup = this.lookUp(wanted, now);
      for (const lid of wanted) this.asking.set(lid, lookup);
    }
    await Promise.all(lids.map((lid) => this.asking.get(lid)));
    const known = new Map<string, string>();
    for (const lid of lids) {
      const phone = this.phones.get(lid);
      if (phone) known.set(lid, phone);
    }
    return known;
  }

  private async lookUp(lids: string[], now: number): Promise<void> {
    const found = await this.ask(lids).catch(() => undefined);
    for (const lid of lids) {
      this.asking.delete(lid);
      if (found) this.remember(lid, found[lid], now);
    }
  }

  private remember(lid: string, phone: string | undefined, now: number): void {
    if (phone) {
      this.unknownUntil.delete(lid);
      this.phones.set(lid, phone);
      dropOldest(this.phones, MAX_ENTRIES);
    } else {
      this.unknownUntil.set(lid, now + UNKNOWN_RETRY_MS);
      dropOldest(this.unknownUntil, MAX_ENTRIES);
    }
  }
}
