/**
 * A stand-in for whatsapp-web.js's Client. It `implements ClientLike`, a
 * Pick of the library's own typings, so the compiler holds it to the real
 * API. Tests emit library events on it and script its methods.
 */
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import type { BrowserLike, ClientLike, PageLike } from '../../../src/engines/wwebjs/client';
import {
  LOOKUP_NUMBER,
  PHONES_OF_LIDS,
  READ_PAGE_STATE,
  RESTORE_MESSAGE_KEYS,
  type PageScript,
} from '../../../src/engines/wwebjs/page-scripts';

export class FakeBrowser extends EventEmitter implements BrowserLike {
  constructor(private readonly child: ChildProcess | null) {
    super();
  }

  process(): ChildProcess | null {
    return this.child;
  }
}

/**
 * Answers the engine's page scripts (src/engines/wwebjs/page-scripts.ts) by name: `answer(script, fn)`
 * replaces the default answer of one script; `scriptCalls(script)` lists the arguments it was run with.
 */
export class FakePage extends EventEmitter implements PageLike {
  private readonly answers = new Map<string, (arg: unknown) => unknown>([
    [RESTORE_MESSAGE_KEYS, () => 'native'],
    [READ_PAGE_STATE, () => ({ state: 'CONNECTED', hasSynced: true, libraryLoaded: true })],
    [LOOKUP_NUMBER, (chatId) => ({ id: chatId })],
    [PHONES_OF_LIDS, () => ({})],
  ]);
  private readonly runs: Array<{ script: string; arg: unknown }> = [];

  readonly evaluate = vi.fn<PageLike['evaluate']>(async (expression) => {
    const script =
      [...this.answers.keys()].find((source) => expression.startsWith(`(${source})(`)) ?? expression.slice(1, expression.lastIndexOf(')('));
    const arg: unknown = JSON.parse(expression.slice(script.length + 3, -1));
    this.runs.push({ script, arg });
    return this.answers.get(script)?.(arg);
  });

  answer<A, R>(script: PageScript<A, R>, answer: (arg: A) => R | Promise<R>): void {
    this.answers.set(script, answer as (arg: unknown) => unknown);
  }

  scriptCalls<A, R>(script: PageScript<A, R>): A[] {
    return this.runs.filter((run) => run.script === script).map((run) => run.arg as A);
  }
}

export class FakeClient extends EventEmitter implements ClientLike {
  info = { wid: { user: '15550001234', server: 'c.us', _serialized: '15550001234@c.us' }, pushname: 'Me' } as wwebjs.ClientInfo;
  pupBrowser: FakeBrowser | null = null;
  pupPage: FakePage | null = null;
  /** The browser process `launch()` reports, for the process-group kill tests. */
  browserProcess: ChildProcess | null = null;

  readonly initialize = vi.fn<ClientLike['initialize']>(async () => this.launch());
  /** Like the real one: closing the browser makes puppeteer emit 'disconnected'. */
  readonly destroy = vi.fn<ClientLike['destroy']>(async () => {
    this.pupBrowser?.emit('disconnected');
  });
  readonly logout = vi.fn<ClientLike['logout']>(async () => {});
  readonly sendMessage = vi.fn<ClientLike['sendMessage']>();
  readonly getContactById = vi.fn<ClientLike['getContactById']>();
  readonly getProfilePicUrl = vi.fn<ClientLike['getProfilePicUrl']>();
  readonly sendSeen = vi.fn<ClientLike['sendSeen']>(async () => true);
  readonly sendPresenceAvailable = vi.fn<ClientLike['sendPresenceAvailable']>(async () => {});
  readonly sendPresenceUnavailable = vi.fn<ClientLike['sendPresenceUnavailable']>(async () => {});
  readonly getState = vi.fn<ClientLike['getState']>(async () => 'CONNECTED' as wwebjs.WAState);
  readonly getWWebVersion = vi.fn<ClientLike['getWWebVersion']>(async () => '2.3000.1043140922');
  readonly getMessageById = vi.fn<ClientLike['getMessageById']>();
  // chats and history (issue 15)
  readonly archiveChat = vi.fn<ClientLike['archiveChat']>(async () => true);
  readonly unarchiveChat = vi.fn<ClientLike['unarchiveChat']>(async () => false);
  readonly pinChat = vi.fn<ClientLike['pinChat']>(async () => true);
  readonly unpinChat = vi.fn<ClientLike['unpinChat']>(async () => false);
  readonly muteChat = vi.fn<ClientLike['muteChat']>(async () => ({ isMuted: true, muteExpiration: -1 }));
  readonly unmuteChat = vi.fn<ClientLike['unmuteChat']>(async () => ({ isMuted: false, muteExpiration: 0 }));
  readonly markChatUnread = vi.fn<ClientLike['markChatUnread']>(async () => {});
  // groups (issue 15)
  readonly createGroup = vi.fn<ClientLike['createGroup']>();
  readonly getCommonGroups = vi.fn<ClientLike['getCommonGroups']>(async () => []);
  // group invites (issue 15)
  readonly getChatById = vi.fn<ClientLike['getChatById']>();
  readonly getInviteInfo = vi.fn<ClientLike['getInviteInfo']>();
  readonly acceptInvite = vi.fn<ClientLike['acceptInvite']>();
  readonly getGroupMembershipRequests = vi.fn<ClientLike['getGroupMembershipRequests']>();
  readonly approveGroupMembershipRequests = vi.fn<ClientLike['approveGroupMembershipRequests']>();
  readonly rejectGroupMembershipRequests = vi.fn<ClientLike['rejectGroupMembershipRequests']>();
  // contacts and own account (issue 15)
  readonly getContacts = vi.fn<ClientLike['getContacts']>(async () => []);
  readonly getBlockedContacts = vi.fn<ClientLike['getBlockedContacts']>(async () => []);
  readonly getContactLidAndPhone = vi.fn<ClientLike['getContactLidAndPhone']>(async () => []);
  readonly setDisplayName = vi.fn<ClientLike['setDisplayName']>(async () => true);
  readonly setStatus = vi.fn<ClientLike['setStatus']>(async () => {});
  readonly setProfilePicture = vi.fn<ClientLike['setProfilePicture']>(async () => true);
  readonly deleteProfilePicture = vi.fn<ClientLike['deleteProfilePicture']>(async () => true);
  /** The library's page hook-up; absent unless a test gives the fake one. */
  inject?: () => Promise<void>;
  /** The library's code request, which its inject() calls unawaited in a pairing-code login (the session wraps it). */
  requestPairingCode = vi.fn<ClientLike['requestPairingCode']>(async () => '');
  /** Scripts every new page, like `prepareClient` does for the client. */
  preparePage: (page: FakePage) => void = () => {};

  constructor(readonly options: wwebjs.ClientOptions) {
    super();
  }

  /** What initialize() does first: the browser and page now exist. */
  launch(): void {
    this.pupBrowser = new FakeBrowser(this.browserProcess);
    this.pupPage = new FakePage();
    this.preparePage(this.pupPage);
  }
}

/** A library Message as the session reads it; the typings list dozens of fields it never touches. */
export function libraryMessage(
  fields: Omit<Partial<wwebjs.Message>, 'pollOptions' | 'mentionedIds'> & {
    _data?: Record<string, unknown>;
    pollOptions?: unknown;
    mentionedIds?: unknown[];
  } = {},
): wwebjs.Message {
  return {
    id: { fromMe: false, remote: '6281111111111@c.us', id: 'ABC123', _serialized: 'false_6281111111111@c.us_ABC123' },
    from: '6281111111111@c.us',
    to: '15550001234@c.us',
    body: 'hello',
    type: 'chat' as wwebjs.MessageTypes,
    timestamp: 1_700_000_000,
    hasMedia: false,
    fromMe: false,
    isStatus: false,
    ...fields,
  } as wwebjs.Message;
}
