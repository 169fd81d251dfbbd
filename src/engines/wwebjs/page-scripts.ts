/**
 * The few things the engine asks WhatsApp Web directly, beside whatsapp-web.js. They are plain
 * JavaScript source, not TypeScript functions: a function compiled by tsx or esbuild may carry helper
 * calls (`__name`) that do not exist in the page. Each script is an async function of one JSON argument.
 * The modules they require are part of the double's contract test (test/double/contract.test.ts).
 */
import { CONTACT_SCRIPTS } from './contact-scripts';
import { CHAT_SCRIPTS } from './chat-scripts';
import { MESSAGE_ACTION_SCRIPTS } from './message-action-scripts';
import type { LibraryMessageKey } from './message-mapper';

/** The parts of puppeteer's Page the engine evaluates scripts in. */
interface ScriptPage {
  evaluate(expression: string): Promise<unknown>;
}

export type PageScript<A, R> = string & { readonly __types?: [A, R] };

export async function runScript<A, R>(page: ScriptPage, script: PageScript<A, R>, arg: A): Promise<R> {
  return (await page.evaluate(`(${script})(${JSON.stringify(arg) ?? 'undefined'})`)) as R;
}

/** How message keys carry their serialized form on this page, after `RESTORE_MESSAGE_KEYS` ran. */
type MessageKeyShape = 'native' | 'restored' | 'unrecognised';

/**
 * WhatsApp Web 2.3000.1042401057 (July 2026) moved a message key's serialized form from the own
 * property `_serialized`, which whatsapp-web.js reads everywhere, to a minified one (`$1`) that
 * toString() returns. This gives every key an own, enumerable `_serialized` again, as wa-js does:
 * the minified name is found by value (never by name), keys made from now on store their string as
 * `_serialized`, and keys made before are converted when read, printed or serialized, and at once for
 * every message and chat already loaded. Idempotent. See docs/decisions.md, "Message keys".
 */
export const RESTORE_MESSAGE_KEYS: PageScript<null, MessageKeyShape> = `async () => {
  const MsgKey = window.require('WAWebMsgKey');
  const me = window.require('WAWebUserPrefsMeUser').getMaybeMePnUser();
  const remote = window.require('WAWebWidFactory').createWid(me ? me.toString() : '0@c.us');
  const probe = new MsgKey({ fromMe: true, remote, id: 'GATEWAYPROBE' });
  if (Object.prototype.hasOwnProperty.call(probe, '_serialized')) return 'native';
  const proto = MsgKey.prototype;
  if (!Object.prototype.hasOwnProperty.call(proto, '__gatewayRestored')) {
    const serialized = String(probe);
    const cached = Object.keys(probe).find((name) => probe[name] === serialized);
    if (!cached) return 'unrecognised';
    const keep = (key, value) =>
      Object.defineProperty(key, '_serialized', { value, writable: true, enumerable: true, configurable: true });
    const convert = (key) => {
      const own = Object.getOwnPropertyDescriptor(key, cached);
      if (own && 'value' in own) {
        delete key[cached];
        keep(key, own.value);
      }
    };
    Object.defineProperty(proto, cached, {
      configurable: true,
      get() { return this._serialized; },
      set(value) { keep(this, value); },
    });
    Object.defineProperty(proto, '_serialized', {
      configurable: true,
      get() {
        convert(this);
        return Object.getOwnPropertyDescriptor(this, '_serialized')?.value;
      },
      set(value) { keep(this, value); },
    });
    const toString = proto.toString;
    proto.toString = function () {
      convert(this);
      return toString.call(this);
    };
    Object.defineProperty(proto, '__gatewayRestored', { value: true });
  }
  const { Msg, Chat } = window.require('WAWebCollections');
  for (const msg of Msg.getModelsArray?.() ?? []) void msg.id?._serialized;
  for (const chat of Chat.getModelsArray?.() ?? []) void chat.lastReceivedKey?._serialized;
  return 'restored';
}`;

/**
 * whatsapp-web.js tells Node of every change of a chat's unread count (each message in or out), and
 * then reads the whole chat back from the page for its `unread_count` event, which the gateway does
 * not use: a page round trip and a chat serialized per message for nothing (docs/performance.md,
 * "Real engine against a bare script"). The page calls the exposed function through `window`, so a
 * no-op there ends it. A page load brings the library's function back: run at every `ready`.
 */
export const SKIP_UNREAD_COUNT_EVENTS: PageScript<null, boolean> = `async () => {
  if (typeof window.onChatUnreadCountEvent !== 'function') return false;
  window.onChatUnreadCountEvent = () => undefined;
  return true;
}`;

export interface PageState {
  /** WAWebSocketModel's state: OPENING, UNPAIRED, CONNECTED, … */
  state: string;
  hasSynced: boolean;
  /** whatsapp-web.js's helpers are loaded (it loads them when it sees the sync finish). */
  libraryLoaded: boolean;
}

export const READ_PAGE_STATE: PageScript<null, PageState> = `async () => {
  const { Socket } = window.require('WAWebSocketModel');
  return { state: String(Socket.state), hasSynced: Boolean(Socket.hasSynced), libraryLoaded: typeof window.WWebJS !== 'undefined' };
}`;

/**
 * Runs whatsapp-web.js's own handler for "the page finished syncing" (authenticated, load its
 * helpers, attach its listeners, ready), for a page that finished before the library listened.
 */
export const FINISH_LIBRARY_SYNC: PageScript<null, void> = `async () => {
  await window.onAppStateHasSyncedEvent();
}`;

interface NumberLookup {
  /** The id WhatsApp knows the number by (usually `<digits>@c.us`, sometimes the LID). */
  id: string;
  /** The number's LID (`<digits>@lid`), when the page knows it. */
  lid?: string;
}

/** Asks WhatsApp whether a number exists; the query also teaches the page the number's LID. */
export const LOOKUP_NUMBER: PageScript<string, NumberLookup | null> = `async (chatId) => {
  const wid = window.require('WAWebWidFactory').createWid(chatId);
  const result = await window.require('WAWebQueryExistsJob').queryWidExists(wid);
  if (!result || !result.wid) return null;
  const found = result.wid;
  const contacts = window.require('WAWebApiContact');
  const lid = found.server === 'lid' ? found : (result.lid || contacts.getCurrentLid(found));
  return { id: found.toString(), ...(lid && { lid: lid.toString() }) };
}`;

/** The phone-number ids the page already knows for LIDs (no query to WhatsApp: privacy, and bans). */
export const PHONES_OF_LIDS: PageScript<string[], Record<string, string>> = `async (lids) => {
  const { createWid } = window.require('WAWebWidFactory');
  const contacts = window.require('WAWebApiContact');
  const found = {};
  for (const lid of lids) {
    const phone = contacts.getPhoneNumber(createWid(lid));
    if (phone) found[lid] = phone.toString();
  }
  return found;
}`;

interface SentLookup {
  chatId: string;
  /** WhatsApp Web message types that count (`chat` for text, `ptt` or `audio` for audio, …). */
  types: string[];
  /**
   * The body of a text, the caption of media, the name of a poll, the description of a location; ''
   * for media without a caption, and for stickers and contact cards (matched by type alone).
   */
  text: string;
  /** Seconds since the epoch: message timestamps are whole seconds. */
  sinceSeconds: number;
}

interface SentFound {
  /** The message key as whatsapp-web.js hands keys to Node: its own fields, `remote` as a string. */
  key: LibraryMessageKey;
  /** Seconds since the epoch. */
  t: number;
}

/**
 * The earliest message this account sent to a chat at or after a time, among the messages the page
 * has loaded (each chat's `msgs`). A person's messages may live in their LID chat or in their
 * phone-number chat, so both are searched, as far as the page already knows the other address; only
 * chats that exist are read: nothing is created, and WhatsApp is not asked.
 */
export const FIND_SENT: PageScript<SentLookup, SentFound | null> = `async ({ chatId, types, text, sinceSeconds }) => {
  const wid = window.require('WAWebWidFactory').createWid(chatId);
  const contacts = window.require('WAWebApiContact');
  const other = wid.server === 'c.us' ? contacts.getCurrentLid(wid) : wid.server === 'lid' ? contacts.getPhoneNumber(wid) : null;
  const chats = new Set([wid, other].filter(Boolean).map((id) => window.require('WAWebCollections').Chat.get(id)).filter(Boolean));
  let earliest = null;
  for (const chat of chats) {
    for (const msg of chat.msgs.getModelsArray()) {
      if (!msg.id.fromMe || !(msg.t >= sinceSeconds) || !types.includes(msg.type)) continue;
      const shown = msg.type === 'chat' ? msg.body : msg.type === 'poll_creation' ? msg.pollName : msg.type === 'location' ? msg.loc : msg.caption;
      if ((shown || '') !== text) continue;
      if (!earliest || msg.t < earliest.t) earliest = msg;
    }
  }
  if (!earliest) return null;
  return { key: Object.assign({}, earliest.id, { remote: earliest.id.remote._serialized }), t: earliest.t };
}`;

type ChatState = 'typing' | 'recording' | 'stop';

/** whatsapp-web.js's own chat-state call, without first serializing the whole chat as Chat.sendStateTyping() does. */
export const SET_CHAT_STATE: PageScript<{ chatId: string; state: ChatState }, void> = `async ({ chatId, state }) => {
  await window.WWebJS.sendChatstate(state, chatId);
}`;

/** Every page script, for the contract test. */
export const PAGE_SCRIPTS: Record<string, string> = {
  RESTORE_MESSAGE_KEYS,
  READ_PAGE_STATE,
  FINISH_LIBRARY_SYNC,
  LOOKUP_NUMBER,
  PHONES_OF_LIDS,
  FIND_SENT,
  SET_CHAT_STATE,
  ...MESSAGE_ACTION_SCRIPTS,
  ...CONTACT_SCRIPTS,
  ...CHAT_SCRIPTS,
};
