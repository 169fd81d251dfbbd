/**
 * Catch-up after downtime (issue 15) on WhatsApp Web: the messages the offline sync put in the chats
 * while no browser ran, which whatsapp-web.js does not report as `message` (its listeners are attached
 * only after the sync: wwebjs #3219, #589). Read through the library's own API, as its users do
 * (wwebjs #589): `getChats()`, then, for each chat with activity since `since` or unread messages,
 * `Chat.fetchMessages({})`, which returns the messages the chat holds loaded and never asks the phone
 * for earlier ones (`loadEarlierMsgs` with a limit does; decisions: "Finding a send a crash
 * interrupted"). The keys are readable once RESTORE_MESSAGE_KEYS ran at `ready`, before the session
 * reports the connection. Messages are mapped like live ones (LIDs looked up the same way).
 */
import type wwebjs from 'whatsapp-web.js';
import type { IncomingMessage } from '../../protocol/schemas';
import type { CatchUpQuery, CatchUpReader } from '../capabilities/catch-up';
import type { ClientCalls } from './client-calls';
import type { LidDirectory } from './lid-directory';
import { lidsOf, toIncomingMessage, type LibraryMessage } from './message-mapper';

/** Reading every chat's loaded messages is one page call per chat: all of them get this long together. */
const READ_CHATS_MS = 30_000;

export class WwebjsCatchUp implements CatchUpReader {
  constructor(
    private readonly calls: ClientCalls,
    private readonly lids: LidDirectory,
    /** The account's own ids (a reply to one of its messages names them). */
    private readonly ownIds: () => string[],
  ) {}

  async recentIncoming({ since, limit }: CatchUpQuery): Promise<IncomingMessage[]> {
    const found = await this.calls.run('catch-up chat reading', (client) => readRecent(client.getChats(), since), READ_CHATS_MS);
    const newest = found.sort((a, b) => a.timestamp - b.timestamp).slice(-limit);
    const phones = await this.lids.phonesOf(newest.flatMap((message) => lidsOf(message)));
    return newest.map((message) => toIncomingMessage(message, phones, this.ownIds()));
  }
}

/** Others' chat messages (not status posts, not notifications) at or after `since`, from the chats active since then. */
async function readRecent(chats: Promise<wwebjs.Chat[]>, since: number): Promise<LibraryMessage[]> {
  const active = (await chats).filter((chat) => chat.timestamp * 1000 >= since || chat.unreadCount > 0);
  const messages = await Promise.all(active.map((chat) => chat.fetchMessages({})));
  return messages.flat().filter((msg) => !msg.fromMe && !msg.isStatus && msg.timestamp * 1000 >= since);
}
