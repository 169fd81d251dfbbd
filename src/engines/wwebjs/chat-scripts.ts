/**
 * Chats and history in the page (issue 15). Reading goes through page scripts because the library's
 * own calls cost too much or cannot say "no such chat": Client.getChats() serializes every chat with
 * getChatModel (which asks WhatsApp for the metadata of every group, GroupMetadata.update), and
 * getChatById() and every Client chat action find the chat with findOrCreateLatestChat, which
 * creates one that does not exist. So the chat is looked up first (FIND_CHAT: Chat.get, the
 * person's other address too, never created), and history is read as Chat.fetchMessages reads it
 * (the chat's `msgs`, earlier ones through WAWebChatLoadMessages.loadEarlierMsgs, notifications left
 * out, each message through window.WWebJS.getMessageModel), but from a given message on. The
 * catch-up after downtime reads the loaded messages of every active chat in one call (catch-up.ts).
 * See docs/decisions.md, "Chats and history" and "Catch-up after downtime".
 */
import type { PageScript } from './page-scripts';

/** A chat as the page holds it: the fields get_chats shows, raw. */
export interface PageChat {
  id: string;
  name: string;
  isGroup: boolean;
  /** -1: marked unread by hand. */
  unreadCount: number;
  /** Seconds since the epoch; 0 or absent when unknown. */
  t?: number;
  archive: boolean;
  pin: number;
  /** 0: not muted; -1: muted for ever; else when the mute ends, seconds since the epoch. */
  muteExpiration: number;
}

/** `chat`: the chat of `chatId` (or of the same person's other address), or the script answers `chat_not_found`. */
const FIND_CHAT = `
  const { Chat } = window.require('WAWebCollections');
  const wid = window.require('WAWebWidFactory').createWid(chatId);
  const contacts = window.require('WAWebApiContact');
  const other = wid.server === 'c.us' ? contacts.getCurrentLid(wid) : wid.server === 'lid' ? contacts.getPhoneNumber(wid) : null;
  const chat = Chat.get(wid) || (other && Chat.get(other));
  if (!chat) return { outcome: 'chat_not_found' };`;

/** The chats in the page, status broadcasts and channels left out: those get_chats lists and the catch-up reads. */
const LISTED_CHATS = `window.require('WAWebCollections').Chat.getModelsArray()
    .filter((chat) => chat.id.server !== 'broadcast' && chat.id.server !== 'newsletter')`;

export const LIST_CHATS: PageScript<null, PageChat[]> = `async () => {
  return ${LISTED_CHATS}
    .map((chat) => ({
      id: String(chat.id),
      name: String(chat.formattedTitle || chat.name || chat.id.user),
      isGroup: chat.id.server === 'g.us',
      unreadCount: Number(chat.unreadCount) || 0,
      t: chat.t,
      archive: Boolean(chat.archive),
      pin: Number(chat.pin) || 0,
      muteExpiration: Number(chat.mute?.expiration) || 0,
    }));
}`;

type ChatLookup = { outcome: 'chat_not_found' } | { outcome: 'found'; chatId: string };

/** The id the page holds the chat under (a person's LID chat on today's site). */
export const FIND_CHAT_ID: PageScript<{ chatId: string }, ChatLookup> = `async ({ chatId }) => {${FIND_CHAT}
  return { outcome: 'found', chatId: String(chat.id) };
}`;

type ChatMessagesResult =
  { outcome: 'chat_not_found' } | { outcome: 'message_not_found' } | { outcome: 'done'; messages: Array<Record<string, unknown>> };

/** At most this many loads of earlier messages per page: each may be a round trip to the phone. */
const MAX_EARLIER_LOADS = 20;

/**
 * `limit` messages older than `before` (the newest without it), newest first, as getMessageModel
 * serializes them. Messages are loaded earlier until there are enough, `before` is found, or the
 * chat has no more (or MAX_EARLIER_LOADS is reached).
 */
export const READ_CHAT_MESSAGES: PageScript<{ chatId: string; limit: number; before?: string }, ChatMessagesResult> =
  `async ({ chatId, limit, before }) => {${FIND_CHAT}
  const loader = window.require('WAWebChatLoadMessages');
  const known = new Map();
  const take = (msgs) => { for (const m of msgs || []) if (!m.isNotification) known.set(String(m.id), m); };
  const olderThanBefore = () => {
    const ordered = [...known.values()].sort((a, b) => a.t - b.t);
    if (!before) return ordered;
    const at = ordered.findIndex((m) => String(m.id) === before);
    return at < 0 ? null : ordered.slice(0, at);
  };
  take(chat.msgs.getModelsArray());
  let older = olderThanBefore();
  for (let loads = 0; (!older || older.length < limit) && loads < ${MAX_EARLIER_LOADS}; loads += 1) {
    const loaded = await loader.loadEarlierMsgs({ chat });
    if (!loaded || !loaded.length) break;
    take(loaded);
    older = olderThanBefore();
  }
  if (!older) return { outcome: 'message_not_found' };
  return { outcome: 'done', messages: older.slice(-limit).reverse().map((m) => window.WWebJS.getMessageModel(m)) };
}`;

/**
 * The catch-up's read, in one page call for all the chats: others' messages (not status posts, not
 * notifications) at or after `since` (ms since the epoch) in the chats active since then (a message
 * since then, or unread ones), the newest `limit`, oldest first (a tie keeps the chats' order), as
 * getMessageModel serializes them. Only what the chats hold loaded, as Chat.fetchMessages({}) answers:
 * it never loads earlier messages (each load may ask the phone), creates no chat and asks WhatsApp
 * nothing (no group metadata).
 */
export const READ_RECENT_INCOMING: PageScript<
  { since: number; limit: number },
  Array<Record<string, unknown>>
> = `async ({ since, limit }) => {
  const active = ${LISTED_CHATS}
    .filter((chat) => (chat.t || 0) * 1000 >= since || (Number(chat.unreadCount) || 0) > 0);
  const fromOthers = (m) => !m.isNotification && !m.id.fromMe && !m.isStatusV3 && String(m.id.remote) !== 'status@broadcast';
  const recent = active.flatMap((chat) => chat.msgs.getModelsArray()).filter((m) => fromOthers(m) && m.t * 1000 >= since);
  return recent.sort((a, b) => a.t - b.t).slice(-limit).map((m) => window.WWebJS.getMessageModel(m));
}`;

export const CHAT_SCRIPTS: Record<string, string> = { LIST_CHATS, FIND_CHAT_ID, READ_CHAT_MESSAGES, READ_RECENT_INCOMING };
