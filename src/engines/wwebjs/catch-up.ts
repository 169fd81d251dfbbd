/**
 * Catch-up after downtime (issue 15) on WhatsApp Web: the messages the offline sync put in the chats
 * while no browser ran, which whatsapp-web.js does not report as `message` (its listeners are attached
 * only after the sync: wwebjs #3219, #589). Read as the library's users do (wwebjs #589: the loaded
 * messages of each chat with activity since `since` or unread messages), but in one page script of the
 * chats family (chat-scripts.ts), READ_RECENT_INCOMING: unlike `getChats()` it asks WhatsApp nothing
 * (getChatModel refreshes every group's metadata), and it never asks the phone for earlier messages
 * (decisions: "Catch-up after downtime"). The keys are readable once RESTORE_MESSAGE_KEYS ran at
 * `ready`, before the session reports the connection. Messages are mapped like live ones (LIDs looked
 * up the same way).
 */
import type { IncomingMessage } from '../../protocol/schemas';
import type { CatchUpQuery, CatchUpReader } from '../capabilities/catch-up';
import { READ_RECENT_INCOMING } from './chat-scripts';
import type { ClientCalls } from './client-calls';
import type { LidDirectory } from './lid-directory';
import { libraryMessages, toIncomingMessages } from './page-messages';

/** Reading every active chat's loaded messages (one page call) gets this long. */
const READ_CHATS_MS = 30_000;
const WHAT = 'catch-up chat reading';

export class WwebjsCatchUp implements CatchUpReader {
  constructor(
    private readonly calls: ClientCalls,
    private readonly lids: LidDirectory,
    /** The account's own ids (a reply to one of its messages names them). */
    private readonly ownIds: () => string[],
  ) {}

  async recentIncoming({ since, limit }: CatchUpQuery): Promise<IncomingMessage[]> {
    const models = await this.calls.script(WHAT, READ_RECENT_INCOMING, { since, limit }, READ_CHATS_MS);
    const messages = await libraryMessages(this.calls, WHAT, models);
    return toIncomingMessages(messages, this.lids, this.ownIds);
  }
}
