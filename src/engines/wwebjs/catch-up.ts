/**
 * Catch-up after downtime (issue 15) on WhatsApp Web: the messages the offline sync put in the chats
 * while no browser ran, which whatsapp-web.js does not report as `message` (its listeners are attached
 * only after the sync: wwebjs #3219, #589). Read as the library's users do (wwebjs #589: the chats,
 * then the loaded messages of each chat with activity since `since` or unread messages), but with the
 * chats family's page scripts (chat-scripts.ts): LIST_CHATS, which unlike `getChats()` asks WhatsApp
 * nothing (getChatModel refreshes every group's metadata), then READ_LOADED_MESSAGES, which never asks
 * the phone for earlier messages (decisions: "Catch-up after downtime"). The keys are readable once
 * RESTORE_MESSAGE_KEYS ran at `ready`, before the session reports the connection. Messages are mapped
 * like live ones (LIDs looked up the same way).
 */
import type wwebjs from 'whatsapp-web.js';
import type { IncomingMessage } from '../../protocol/schemas';
import type { CatchUpQuery, CatchUpReader } from '../capabilities/catch-up';
import { LIST_CHATS, READ_LOADED_MESSAGES } from './chat-scripts';
import type { ClientCalls } from './client-calls';
import type { LidDirectory } from './lid-directory';
import { libraryMessages, toIncomingMessages } from './page-messages';

/** Reading every chat's loaded messages is one page call per chat: all of them get this long together. */
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
    const found = await this.calls.run(WHAT, () => this.readRecent(since), READ_CHATS_MS);
    const newest = found.sort((a, b) => a.timestamp - b.timestamp).slice(-limit);
    return toIncomingMessages(newest, this.lids, this.ownIds);
  }

  /** Others' chat messages (not status posts, not notifications) at or after `since`, from the chats active since then. */
  private async readRecent(since: number): Promise<wwebjs.Message[]> {
    const chats = await this.calls.script(WHAT, LIST_CHATS, null);
    const active = chats.filter((chat) => (chat.t ?? 0) * 1000 >= since || chat.unreadCount > 0);
    const messages = await Promise.all(active.map((chat) => this.loadedMessages(chat.id)));
    return messages.flat().filter((msg) => !msg.fromMe && !msg.isStatus && msg.timestamp * 1000 >= since);
  }

  private async loadedMessages(chatId: string): Promise<wwebjs.Message[]> {
    const result = await this.calls.script(WHAT, READ_LOADED_MESSAGES, { chatId });
    // A chat deleted since the list was read holds nothing to catch up on.
    return result.outcome === 'done' ? libraryMessages(this.calls, WHAT, result.messages) : [];
  }
}
