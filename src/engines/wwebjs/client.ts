/**
 * The boundary with whatsapp-web.js's `Client`: the slice of it the session
 * uses (so tests can inject a fake the compiler checks against the real
 * typings) and the options a real client is built with.
 */
import type { ChildProcess } from 'node:child_process';
import wwebjs from 'whatsapp-web.js';
import type { LibraryMessageKey } from './message-mapper';

// Named ESM imports of LocalAuth etc. are not detected; destructure the default export.
const { Client, LocalAuth } = wwebjs;

/** The parts of puppeteer's Browser and Page the session watches. */
export interface BrowserLike {
  process(): ChildProcess | null;
  once(event: 'disconnected', handler: () => void): unknown;
}
export interface PageLike {
  once(event: 'error', handler: (error: Error) => void): unknown;
  /** Evaluates a script (src/engines/wwebjs/page-scripts.ts) in WhatsApp Web. */
  evaluate(expression: string): Promise<unknown>;
}

/**
 * The events the session listens to, with the payloads index.d.ts declares.
 * Written out because a Pick of the overloaded `on` would return `Client`
 * (its `this`), which no fake can be.
 */
interface ClientEvents {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'code', listener: (code: string) => void): unknown;
  on(event: 'authenticated' | 'ready', listener: () => void): unknown;
  on(event: 'auth_failure', listener: (message: string) => void): unknown;
  on(event: 'disconnected', listener: (reason: wwebjs.WAState | 'LOGOUT') => void): unknown;
  on(event: 'message', listener: (message: wwebjs.Message) => void): unknown;
  on(event: 'message_ack', listener: (message: wwebjs.Message, ack: wwebjs.MessageAck) => void): unknown;
  // receiving (issue 14)
  on(event: 'message_create', listener: (message: wwebjs.Message) => void): unknown;
  on(event: 'message_edit', listener: (message: wwebjs.Message, newBody: unknown, prevBody: unknown) => void): unknown;
  on(event: 'message_revoke_everyone', listener: (message: wwebjs.Message, revoked?: wwebjs.Message | null) => void): unknown;
  on(event: 'message_reaction', listener: (reaction: wwebjs.Reaction) => void): unknown;
  /** `parentMsgKey` (the poll's key) is set by the library's PollVote but missing from its typings. */
  on(event: 'vote_update', listener: (vote: wwebjs.PollVote & { parentMsgKey?: LibraryMessageKey }) => void): unknown;
  on(event: 'call', listener: (call: wwebjs.Call) => void): unknown;
  // group invites (issue 15)
  on(event: 'group_membership_request', listener: (notification: wwebjs.GroupNotification) => void): unknown;
  // groups (issue 15)
  on(
    event: 'group_join' | 'group_leave' | 'group_admin_changed' | 'group_update',
    listener: (notification: wwebjs.GroupNotification) => void,
  ): unknown;
  once(event: 'qr' | 'code', listener: (value: string) => void): unknown;
}

export interface ClientLike
  extends
    ClientEvents,
    Pick<
      wwebjs.Client,
      | 'info'
      | 'initialize'
      | 'destroy'
      | 'logout'
      | 'sendMessage'
      | 'getContactById'
      | 'getProfilePicUrl'
      | 'sendSeen'
      | 'sendPresenceAvailable'
      | 'sendPresenceUnavailable'
      | 'getState'
      | 'getWWebVersion'
      | 'getMessageById'
      // called by the library's inject() without awaiting it, when it was built with `pairWithPhoneNumber`
      | 'requestPairingCode'
      // chats and history (issue 15)
      | 'archiveChat'
      | 'unarchiveChat'
      | 'pinChat'
      | 'unpinChat'
      | 'muteChat'
      | 'unmuteChat'
      | 'markChatUnread'
      // groups (issue 15)
      | 'createGroup'
      | 'getCommonGroups'
      // group invites (issue 15)
      | 'getChatById'
      | 'getInviteInfo'
      | 'acceptInvite'
      | 'getGroupMembershipRequests'
      | 'approveGroupMembershipRequests'
      | 'rejectGroupMembershipRequests'
      // contacts and own account (issue 15)
      | 'getContacts'
      | 'getBlockedContacts'
      | 'getContactLidAndPhone'
      | 'setDisplayName'
      | 'setStatus'
      | 'setProfilePicture'
      | 'deleteProfilePicture'
    > {
  /** Typed as always present, but null until initialize() has launched the browser. */
  pupBrowser?: BrowserLike | null;
  pupPage?: PageLike | null;
  /** Not in the typings: the library's page hook-up, which it re-runs unawaited after every page load. */
  inject?: () => Promise<void>;
}

export type ClientFactory = (options: wwebjs.ClientOptions) => ClientLike;

export interface ClientSettings {
  sessionId: string;
  dataDir: string;
  executablePath: string;
  args: string[];
  /** The browser's own user agent (user-agent.ts); without it the library claims Chrome 101 on macOS. */
  userAgent?: string;
  webVersion?: string;
  webVersionCacheDir?: string;
  /** Log in with a pairing code for this number (digits) instead of a QR, a new code every intervalMs. */
  pairing?: { phoneNumber: string; intervalMs: number };
}

export const createWwebjsClient: ClientFactory = (options) => new Client(options);

/**
 * Puppeteer talks to Chromium over a pipe rather than a WebSocket: Chromium exits when the pipe
 * closes, so no browser (still logged in) outlives this process, even after kill -9. Puppeteer
 * quietly falls back to a WebSocket when any `--remote-debugging-*` flag is among the args (say a
 * debugging port in CHROME_ARGS), hence the explicit flag: the pipe stays, the port comes on top.
 */
const PIPE_FLAG = '--remote-debugging-pipe';

/**
 * A new options object on every call: the Client mutates the one it gets.
 * `qrMaxRetries: 0` because the gateway counts QR attempts (and pairing codes) itself.
 * `pairWithPhoneNumber` must be there before initialize(): asking for a code on a page that
 * already shows a QR hangs (avoylenko/wwebjs-api #154). `showNotification` is the library's
 * default: the phone is told a device wants to link. The
 * gateway owns SIGINT/SIGTERM: puppeteer's own handlers would kill every
 * browser at once (and exit on SIGINT) before its graceful shutdown ran.
 */
export function buildClientOptions(settings: ClientSettings): wwebjs.ClientOptions {
  return {
    authStrategy: new LocalAuth({ clientId: settings.sessionId, dataPath: settings.dataDir }),
    puppeteer: {
      executablePath: settings.executablePath,
      headless: true,
      pipe: true,
      args: [PIPE_FLAG, ...settings.args],
      handleSIGINT: false,
      handleSIGTERM: false,
    },
    qrMaxRetries: 0,
    ...(settings.userAgent && { userAgent: settings.userAgent }),
    ...(settings.webVersion ? { webVersion: settings.webVersion } : {}),
    ...(settings.webVersionCacheDir ? { webVersionCache: { type: 'local', path: settings.webVersionCacheDir, strict: true } } : {}),
    ...(settings.pairing && {
      pairWithPhoneNumber: { phoneNumber: settings.pairing.phoneNumber, showNotification: true, intervalMs: settings.pairing.intervalMs },
    }),
  };
}
