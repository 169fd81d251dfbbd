// Drives the fake WhatsApp Web page (double/page/, assembled by page.ts) that the real whatsapp-web.js Client
// loads instead of https://web.whatsapp.com. See README.md in this folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'whatsapp-web.js';
import wwebjsPackage from 'whatsapp-web.js/package.json';
import { assembleDoublePage } from './page';

/** The whatsapp-web.js version whose injected code the double implements. */
export const PINNED_WWEBJS_VERSION = '1.34.7';
/** The name of the cached page the library asks for: whatsapp-web.js 1.34.7's default `webVersion`. */
export const DOUBLE_WEB_VERSION = '2.3000.1017054665';

/**
 * How WhatsApp Web looked at a given time (README.md, "Profiles"), and the version (`Debug.VERSION`)
 * the page reports on each: the real site runs newer builds than the one the library names.
 */
export const DOUBLE_PROFILES = {
  /** What whatsapp-web.js 1.34.7 was written against: message keys carry `_serialized`, people are `…@c.us`. */
  legacy: '2.3000.1017054665',
  /** From mid-July 2026: message keys keep their serialized form in the minified `$1` (wa-js #3484). */
  '2026-07': '2.3000.1043140922',
  /** 2026-07, with people's chats and messages addressed by LID (`…@lid`) and a LID ↔ phone mapping. */
  '2026-07-lid': '2.3000.1043140922',
} as const;
export type DoubleProfile = keyof typeof DOUBLE_PROFILES;
export const DOUBLE_PROFILE_NAMES = Object.keys(DOUBLE_PROFILES) as DoubleProfile[];

export type DoublePage = NonNullable<Client['pupPage']>;

export interface DoubleOptions {
  /** Which WhatsApp Web the page models (default `legacy`). */
  profile?: DoubleProfile;
  /** Pair by itself `scanAfterMs` after the QR (or the first pairing code) is shown, echo every send, progress acks 1, 2, 3. */
  auto?: boolean;
  /** Auto mode only: delay between the QR being shown and the "scan" (default 5000). */
  scanAfterMs?: number;
  /** How often the QR ref rotates while unpaired (default 20000, like the real site). */
  qrRefreshMs?: number;
  /** The paired account (defaults: 15550001234, "Double"). */
  phone?: string;
  pushname?: string;
  /** A connecting page finishes its sync at once, before the library listens for it (a fast restore). */
  syncBeforeListen?: boolean;
  /** A connecting page never finishes its sync: the library never emits `ready`. */
  neverSync?: boolean;
  /** The page reloads itself this long after a scan, as the real site does after a fresh pairing. */
  reloadAfterScanMs?: number;
  /** Profile 2026-07-lid: numbers (digits) whose LID the page never learns; chats with them fail "No LID for user". */
  noLidFor?: string[];
  /** Sent messages are filed under another key: they go out, but the library cannot read them back. */
  misindexSent?: boolean;
  /** Catch-up (issue 15): messages that reached the account while no page was open; see queueOfflineArrivals. */
  offlineArrivals?: OfflineArrival[];
}

/** A message that reached the account while no page was open (catch-up, issue 15). */
export interface OfflineArrival {
  /** Its message id (the key's `id`), the same on every page load. */
  id: string;
  /** Sender chat id, e.g. 15551234567@c.us (its LID chat on 2026-07-lid). */
  from: string;
  body: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Arrives 100 ms after the sync, once the library listens (a `message` event), instead of during it. */
  tail?: boolean;
}

export interface DoubleCacheOptions {
  webVersion: string;
  webVersionCache: { type: 'local'; path: string; strict: true };
}

export interface IncomingMessage {
  /** Sender chat id, e.g. 15551234567@c.us (on profile 2026-07-lid the message comes from that number's LID). */
  from: string;
  /** Profile 2026-07-lid: the sender does not share their number; the page cannot map the LID to it. */
  hidePhone?: boolean;
  body?: string;
  /** Base64 media; `type` defaults from the mimetype (image, video, audio, else document). */
  media?: { mimetype: string; data: string; filename?: string };
  caption?: string;
  /** Override the message type, e.g. 'ptt' or 'sticker'. */
  type?: string;
  /** Seconds since the epoch (default: now). */
  timestamp?: number;
  // receiving (issue 14): what else the message carries
  /** It replies to this message (its id). */
  quotedMessageId?: string;
  /** Ids it mentions (…@c.us, or …@lid). */
  mentions?: string[];
  /** Makes it a location message. */
  location?: { latitude: number; longitude: number; name?: string; address?: string; url?: string };
  /** Makes it a contact card (one) or several (`multi_vcard`). */
  vcards?: string[];
  /** Makes it a poll. */
  poll?: { question: string; options: string[]; allowMultipleAnswers: boolean };
  isForwarded?: boolean;
  /** Seconds, for audio and video. */
  duration?: number;
}

export interface SentMessage {
  id: string;
  from: string;
  to: string;
  type: string;
  body?: string;
  caption?: string;
  mimetype?: string;
  filename?: string;
  size?: number;
  isVoice: boolean;
  asDocument: boolean;
  ack: number;
  timestamp: number;
}

/** A message in a chat's `msgs`, as the page holds it (sent ones come back after a page load; received ones do not). */
export interface ChatMessage {
  id: string;
  fromMe: boolean;
  type: string;
  body?: string;
  caption?: string;
  /** Seconds since the epoch. */
  t: number;
}

export interface ChatStateCall {
  chatId: string;
  state: 'typing' | 'recording' | 'stop';
  at: number;
}

export interface SeenCall {
  chatId: string;
  at: number;
}

// ---------- slice "sending kinds" (issue 14) ----------
/** What the double's page kept of a sent message of the newer kinds (replies, mentions, locations, polls, cards, stickers). */
export interface SentKind {
  id: string;
  type: string;
  quotedStanzaID?: string;
  quotedParticipant?: string;
  quotedRemoteJid?: string;
  mentionedJidList?: string[];
  loc?: string;
  lat?: number;
  lng?: number;
  pollName?: string;
  pollOptions?: Array<{ name: string; localId: number }>;
  /** 0: any number of options; 1: one. */
  pollSelectableOptionsCount?: number;
  /** A single card's vCard (type vcard). */
  body?: string;
  vcardFormattedName?: string;
  vcardList?: Array<{ displayName: string; vcard: string }>;
  /** Whether the uploaded sticker is a webp file. */
  stickerIsWebp?: boolean;
}

export async function sentKinds(page: DoublePage): Promise<SentKind[]> {
  return page.evaluate(() => window.WADouble.sentKinds());
}
// ---------- end of slice "sending kinds" ----------

// ---------- slice "media download" (issue 14) ----------
/** The phone no longer has a received message's file: downloading it finds nothing (mediaStage REUPLOADING). */
export async function expireMedia(page: DoublePage, messageId: string): Promise<void> {
  await page.evaluate((id) => window.WADouble.expireMedia(id), messageId);
}
// ---------- end of slice "media download" ----------

/** Issue 14, pairing codes: one `startAltLinkingFlow` call of the library, and the code the page answered. */
export interface PairingRequest {
  phoneNumber: string;
  showNotification: boolean;
  code: string;
}

// ---------- slice "message actions" (issue 14) ----------
/** A reaction, edit, revoke, delete or forward the page was asked for (double: WADouble.messageActions). */
export interface MessageAction {
  action: 'react' | 'edit' | 'revoke' | 'delete' | 'forward' | 'presence';
  /** Absent for presence. */
  id?: string;
  available?: boolean;
  emoji?: string;
  text?: string;
  to?: string;
}

export async function messageActions(page: DoublePage): Promise<MessageAction[]> {
  return page.evaluate(() => window.WADouble.messageActions());
}
// ---------- end of slice "message actions" ----------

interface DoubleHandle {
  sentKinds(): SentKind[];
  expireMedia(messageId: string): void;
  messageActions(): MessageAction[];
  missing: string[];
  scan(): void;
  enterCode(code: string): void;
  pairingRequests(): PairingRequest[];
  deliver(message: IncomingMessage): string;
  setAck(messageId: string, ack: number): void;
  logoutFromPhone(): void;
  logoutFromBridge(): void;
  lidOf(phone: string): string;
  stopAnswering(): void;
  injected(): boolean;
  sentMessages(): SentMessage[];
  chatMessages(chatId: string): ChatMessage[];
  typingCalls(): ChatStateCall[];
  seenCalls(): SeenCall[];
}

// ---- receiving (issue 14) ----

/** A call declined through the page: the reject stanza it cast. */
export interface RejectedCall {
  callId: string;
  /** Who was called back with the reject (the caller). */
  to: string;
  from: string;
}

interface DoubleHandle {
  sendFromPhone(message: { to: string; body: string }): string;
  editMessage(messageId: string, text: string): void;
  revokeMessage(messageId: string): void;
  react(reaction: { messageId: string; from?: string; emoji: string }): Promise<void>;
  vote(vote: { messageId: string; voter?: string; selectedOptions: string[] }): Promise<void>;
  ringCall(call: { from: string; isVideo?: boolean; isGroup?: boolean }): string;
  rejectedCalls(): RejectedCall[];
}

// ---- contacts and account (issue 15) ----

interface DoubleHandle {
  saveContact(contact: { phone: string; name: string }): void;
  blockedIds(): string[];
  ownProfile(): OwnProfileState;
}

/** The account's profile as the page has it: display name, about text, and which picture (null: none). */
export interface OwnProfileState {
  pushname: string;
  about: string;
  pictureTag: string | null;
}

/** The phone's address book gets `name` for `phone`: the contact becomes "my contact". */
export async function saveContact(page: DoublePage, phone: string, name: string): Promise<void> {
  await page.evaluate((c) => window.WADouble.saveContact(c), { phone, name });
}

/** The ids in the page's blocklist (WAWebCollections.Blocklist). */
export async function blockedIds(page: DoublePage): Promise<string[]> {
  return page.evaluate(() => window.WADouble.blockedIds());
}

export async function ownProfile(page: DoublePage): Promise<OwnProfileState> {
  return page.evaluate(() => window.WADouble.ownProfile());
}

declare global {
  interface Window {
    WADouble: DoubleHandle;
  }
}

const CONFIG_LINE = 'window.WADoubleConfig = {};';

/**
 * Writes `<dir>/<webVersion>.html` (the double, with `options` baked in) and returns the options to
 * spread into `new Client({...})`. whatsapp-web.js then answers its navigation to
 * https://web.whatsapp.com/ with that file (LocalWebCache + request interception).
 */
export function prepareDoubleCache(dir: string, options: DoubleOptions = {}): DoubleCacheOptions {
  if (wwebjsPackage.version !== PINNED_WWEBJS_VERSION) {
    throw new Error(
      `WhatsApp Web double is written for whatsapp-web.js ${PINNED_WWEBJS_VERSION}, found ${wwebjsPackage.version}: see double/README.md`,
    );
  }
  const template = assembleDoublePage().html;
  if (!template.includes(CONFIG_LINE)) throw new Error('double/page/shell.html lost its config line');
  const config = JSON.stringify({ ...options, webVersion: DOUBLE_PROFILES[options.profile ?? 'legacy'] }).replace(/</g, '\\u003c');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${DOUBLE_WEB_VERSION}.html`), template.replace(CONFIG_LINE, `window.WADoubleConfig = ${config};`));
  return { webVersion: DOUBLE_WEB_VERSION, webVersionCache: { type: 'local', path: dir, strict: true } };
}

/**
 * Catch-up (issue 15): while no page runs, messages reach the account; every later page load of this
 * cache finds them in their chats, put there during the sync (no `message` event; double/README.md).
 * Rewrites the page in `dir` with `options` and these arrivals; returns them with their ids.
 */
export function queueOfflineArrivals(
  dir: string,
  options: DoubleOptions,
  arrivals: Array<Omit<OfflineArrival, 'id' | 'timestamp'> & { timestamp?: number }>,
): OfflineArrival[] {
  const queued = arrivals.map((arrival) => ({
    id: `3A${crypto.randomBytes(9).toString('hex').toUpperCase()}`,
    timestamp: Math.floor(Date.now() / 1000),
    ...arrival,
  }));
  prepareDoubleCache(dir, { ...options, offlineArrivals: [...(options.offlineArrivals ?? []), ...queued] });
  return queued;
}

/** The phone scans the QR shown right now: the client emits `authenticated`, then `ready`. */
export async function scanQr(page: DoublePage): Promise<void> {
  await page.evaluate(() => window.WADouble.scan());
}

// ---- issue 14, pairing codes ----

/** The phone of the number the code was asked for enters it: the page pairs as that number. Throws for a wrong or stale code. */
export async function enterPairingCode(page: DoublePage, code: string): Promise<void> {
  await page.evaluate((c) => window.WADouble.enterCode(c), code);
}

/** Every pairing code the library asked this page load for (the latest last), with the number and notification flag it passed. */
export async function pairingRequests(page: DoublePage): Promise<PairingRequest[]> {
  return page.evaluate(() => window.WADouble.pairingRequests());
}

// ---- end of issue 14, pairing codes ----

/** A contact sends a message; resolves with its id (`id._serialized`). */
export async function deliverMessage(page: DoublePage, message: IncomingMessage): Promise<string> {
  return page.evaluate((m) => window.WADouble.deliver(m), message);
}

/** The server/recipient moves a sent message to `ack` (1 server, 2 device, 3 read, 4 played). */
export async function setAck(page: DoublePage, messageId: string, ack: number): Promise<void> {
  await page.evaluate((id, a) => window.WADouble.setAck(id, a), messageId, ack);
}

/** The user removes this linked device from the phone: `disconnected('LOGOUT')`, then a new QR. */
export async function logoutFromPhone(page: DoublePage): Promise<void> {
  await page.evaluate(() => window.WADouble.logoutFromPhone());
}

/**
 * The 2026 phone logout: the socket drops to UNPAIRED, Cmd 'logout_from_bridge' fires, the page reloads.
 * After `ready`, whatsapp-web.js reports that as `disconnected('UNPAIRED')` and destroys the client.
 */
export async function logoutFromBridge(page: DoublePage): Promise<void> {
  await page.evaluate(() => window.WADouble.logoutFromBridge());
}

/** The LID (`…@lid`) the double gives a phone number (digits) on profile 2026-07-lid. */
export async function lidOf(page: DoublePage, phone: string): Promise<string> {
  return page.evaluate((p) => window.WADouble.lidOf(p), phone);
}

/** From the next page load on (reload, or a new Client on the same profile), the page hangs in OPENING. */
export async function stopAnswering(page: DoublePage): Promise<void> {
  await page.evaluate(() => window.WADouble.stopAnswering());
}

/** Reloads WhatsApp Web under the client (the client re-injects and emits `ready` again when paired). */
export async function reload(page: DoublePage): Promise<void> {
  await page.reload({ waitUntil: 'load' });
}

/**
 * Resolves once the library's inject() has finished hooking the current page load. `qr` is emitted in
 * the middle of inject(): destroying the client right after a re-inject's `qr` (e.g. after a LOGOUT)
 * makes inject() reject inside the library's 'framenavigated' listener, an unhandled rejection.
 * Not the same as `ready`: on a paired page window.WWebJS (needed by sendMessage etc.) arrives later.
 */
export async function waitForInject(page: DoublePage): Promise<void> {
  await page.waitForFunction(() => window.WADouble.injected());
}

/** Messages the client sent since the page loaded, with their current ack. */
export async function sentMessages(page: DoublePage): Promise<SentMessage[]> {
  return page.evaluate(() => window.WADouble.sentMessages());
}

/**
 * The messages of the chat with exactly this id (on profile 2026-07-lid a person's chat is their LID:
 * `lidOf`), oldest first. Unlike `sentMessages`, it outlives page loads for what the account sent, as
 * the real site keeps it: count copies of a message across gateway restarts with it.
 */
export async function chatMessages(page: DoublePage, chatId: string): Promise<ChatMessage[]> {
  return page.evaluate((id) => window.WADouble.chatMessages(id), chatId);
}

/** sendStateTyping / sendStateRecording / clearState calls since the page loaded. */
export async function typingCalls(page: DoublePage): Promise<ChatStateCall[]> {
  return page.evaluate(() => window.WADouble.typingCalls());
}

/** Read receipts (sendSeen) since the page loaded. */
export async function seenCalls(page: DoublePage): Promise<SeenCall[]> {
  return page.evaluate(() => window.WADouble.seenCalls());
}

/** Modules the library asked for that the double does not provide (each also threw at the call site). */
export async function missingModules(page: DoublePage): Promise<string[]> {
  return page.evaluate(() => [...window.WADouble.missing]);
}

// ---- receiving (issue 14): the phone, and the people the account talks to ----

/** The account writes from its phone (another device than the gateway): resolves with the message's id. */
export async function sendFromPhone(page: DoublePage, to: string, body: string): Promise<string> {
  return page.evaluate((m) => window.WADouble.sendFromPhone(m), { to, body });
}

/** Its sender edits a message (its id): the new text, with the edit marks WhatsApp Web sets. */
export async function editMessage(page: DoublePage, messageId: string, text: string): Promise<void> {
  await page.evaluate((id, t) => window.WADouble.editMessage(id, t), messageId, text);
}

/** Its sender deletes a message for everyone. */
export async function revokeMessage(page: DoublePage, messageId: string): Promise<void> {
  await page.evaluate((id) => window.WADouble.revokeMessage(id), messageId);
}

/** `from` (a …@c.us id; the account itself when absent) reacts to a message; '' takes the reaction back. */
export async function react(page: DoublePage, reaction: { messageId: string; from?: string; emoji: string }): Promise<void> {
  await page.evaluate((r) => window.WADouble.react(r), reaction);
}

/** `voter` votes in a poll by option names ([] takes the vote back). */
export async function vote(page: DoublePage, poll: { messageId: string; voter?: string; selectedOptions: string[] }): Promise<void> {
  await page.evaluate((v) => window.WADouble.vote(v), poll);
}

/** Someone calls the account; resolves with the call's id. The call keeps ringing (and is reported again) until declined. */
export async function ringCall(page: DoublePage, call: { from: string; isVideo?: boolean; isGroup?: boolean }): Promise<string> {
  return page.evaluate((c) => window.WADouble.ringCall(c), call);
}

/** Calls declined through the page since it loaded. */
export async function rejectedCalls(page: DoublePage): Promise<RejectedCall[]> {
  return page.evaluate(() => window.WADouble.rejectedCalls());
}

// ---- chats (issue 15) ----

/** One message of a seeded chat history, oldest first. */
export interface HistoryMessage {
  body: string;
  fromMe?: boolean;
  /** Seconds since the epoch. */
  t: number;
}

/** What the page was asked to do to a chat, or a batch of earlier messages it loaded. */
export interface ChatAction {
  action: 'archive' | 'pin' | 'markUnread' | 'clear' | 'delete' | 'loadEarlier';
  chatId: string;
  archive?: boolean;
  pin?: boolean;
  /** loadEarlier: how many messages came. */
  loaded?: number;
}

export interface ChatState {
  archive: boolean;
  /** The pin time in seconds, 0 when unpinned. */
  pin: number;
  /** -1: marked unread by hand. */
  unreadCount: number;
  /** 0 not muted, -1 for ever, else seconds since the epoch. */
  muteExpiration: number;
  /** Messages in the chat's `msgs`. */
  loaded: number;
}

interface DoubleHandle {
  seedChat(chat: { from: string; messages: HistoryMessage[]; loaded: number }): string;
  chatActions(): ChatAction[];
  chatState(chatId: string): ChatState | null;
}

/**
 * A chat with `from` (a person id, `<digits>@c.us`; their LID chat on 2026-07-lid) and its history: the newest `loaded` of
 * `messages` are loaded, the rest wait on the phone for loadEarlierMsgs. Resolves with the chat's id.
 */
export async function seedChat(page: DoublePage, chat: { from: string; messages: HistoryMessage[]; loaded: number }): Promise<string> {
  return page.evaluate((c) => window.WADouble.seedChat(c), chat);
}

export async function chatActions(page: DoublePage): Promise<ChatAction[]> {
  return page.evaluate(() => window.WADouble.chatActions());
}

/** The chat's flags as the page holds them; null when the page has no such chat. */
export async function chatState(page: DoublePage, chatId: string): Promise<ChatState | null> {
  return page.evaluate((id) => window.WADouble.chatState(id), chatId);
}
export * from './harness-groups';
export * from './harness-group-invites';
