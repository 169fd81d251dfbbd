/**
 * One WhatsApp account driven through one whatsapp-web.js Client and its Chromium. Single use: after
 * stop, logout, a failed start or a reported disconnect the browser is gone, and the gateway creates a
 * new session to go on. Every library call is time-limited and rejects with a GatewayError (see
 * client-calls.ts); the event handlers never throw into the library. What a connected session can do
 * lives in one file per capability: messaging.ts, contacts.ts, media.ts; what it hears about messages
 * and calls in incoming-events.ts.
 */
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineDisconnectReason, EngineListener, EngineSession, LoginOptions } from '../engine';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import type { Logger } from '../../logger';
import { clearStaleProfileLock, findBrowser, keepPipeErrorsHandled, killProcessGroup, launchArgs } from './browser';
import { storedLoginDir } from '../../storage/session-storage';
import { buildClientOptions, type ClientLike } from './client';
import { ClientCalls, limit } from './client-calls';
import { guardInjections, guardPairingRequests, type GuardHooks } from './client-guards';
import { WwebjsAccount } from './account';
import { WwebjsChats } from './chats';
import { WwebjsContacts } from './contacts';
import { LidDirectory } from './lid-directory';
import { WwebjsCalling } from './calling';
import { GatewaySends } from './gateway-sends';
import { WwebjsGroupInvites } from './group-invites';
import { WwebjsCatchUp } from './catch-up';
import { GroupEvents } from './group-events';
import { WwebjsGroups } from './groups';
import { IncomingEvents } from './incoming-events';
import { WwebjsMedia } from './media';
import { WwebjsMessageActions } from './message-actions';
import { WwebjsMessaging } from './messaging';
import { FINISH_LIBRARY_SYNC, PHONES_OF_LIDS, READ_PAGE_STATE, RESTORE_MESSAGE_KEYS, SKIP_UNREAD_COUNT_EVENTS } from './page-scripts';
import { watchLiveness } from './liveness';
import { ReadyWatch } from './ready-watch';
import type { SessionSettings } from './settings';
import { userAgentOf } from './user-agent';
import { withTimeout } from '../../util/time-limit';

export { DEFAULT_TIMEOUTS, type SessionSettings, type SessionTimeouts } from './settings';

const LAUNCH_POLL_MS = 100;
/** Socket states that, once connected, mean this device was unlinked (the 2026 phone logout). */
const UNLINKED_STATES = new Set(['UNPAIRED', 'UNPAIRED_IDLE']);

export class WwebjsSession implements EngineSession {
  private readonly log: Logger;
  private readonly calls: ClientCalls;
  readonly messaging: WwebjsMessaging;
  readonly contacts: WwebjsContacts;
  /** Contact list, blocklist, LID <-> phone (issue 15): the same object as `contacts`. */
  readonly contactBook: WwebjsContacts;
  readonly account: WwebjsAccount;
  readonly calling: WwebjsCalling;
  private readonly sends = new GatewaySends();
  readonly media: WwebjsMedia;
  readonly messageActions: WwebjsMessageActions;
  readonly chats: WwebjsChats;
  readonly groupInvites: WwebjsGroupInvites;
  readonly catchUp: WwebjsCatchUp;
  readonly groups: WwebjsGroups;
  private readonly groupEvents: GroupEvents;
  private readonly lids: LidDirectory;
  private readonly readyWatch: ReadyWatch;
  private client: ClientLike | null = null;
  private initializing = false;
  /** Set by the first `ready`: the connection is reported once. */
  private connection: Promise<void> | null = null;
  private browserWatched = false;
  private browserPid: number | undefined;
  /** Set once the session is ending: calls reject with it and client events are ignored. */
  private endError: GatewayError | null = null;
  private closing: Promise<void> | null = null;
  private abortStart: ((error: GatewayError) => void) | null = null;
  private liveness?: NodeJS.Timeout;
  private readonly incoming: IncomingEvents;
  private readonly hasEnded = (): boolean => this.endError !== null;
  private readonly connectionLost = (detail: string): void => void this.disconnect('connection_lost', detail);
  /** What the library's unawaited calls report to (client-guards.ts). */
  private readonly guardHooks: GuardHooks;

  constructor(
    private readonly sessionId: string,
    private readonly listener: EngineListener,
    private readonly settings: SessionSettings,
    private readonly login: LoginOptions = {},
  ) {
    this.log = settings.logger.child({ sessionId });
    this.calls = new ClientCalls(() => this.usableClient(), settings.timeouts);
    this.messaging = new WwebjsMessaging(this.calls, this.sends);
    this.calling = new WwebjsCalling(this.calls);
    this.media = new WwebjsMedia(this.calls);
    this.messageActions = new WwebjsMessageActions(this.calls);
    this.groupInvites = new WwebjsGroupInvites(this.calls, listener);
    this.lids = new LidDirectory((lids) => this.calls.script('LID lookup', PHONES_OF_LIDS, lids));
    this.contacts = new WwebjsContacts(this.calls, this.lids);
    this.contactBook = this.contacts;
    this.account = new WwebjsAccount(this.calls);
    this.catchUp = new WwebjsCatchUp(this.calls, this.lids, () => this.ownIds());
    this.chats = new WwebjsChats({ calls: this.calls, lids: this.lids, ownIds: () => this.ownIds() });
    const { lids, sends, calling, log, hasEnded } = this;
    this.incoming = new IncomingEvents({ listener, lids, sends, calling, log, hasEnded });
    this.groups = new WwebjsGroups(this.calls);
    this.groupEvents = new GroupEvents(listener, hasEnded);
    this.guardHooks = { hasEnded, lost: this.connectionLost, log };
    this.readyWatch = new ReadyWatch(
      {
        // Asked every readyPollMs: an answer that takes much longer than that is no answer.
        readState: () => this.calls.script('page state', READ_PAGE_STATE, null, 5 * settings.timeouts.readyPollMs),
        finishSync: () => this.calls.script('sync handler', FINISH_LIBRARY_SYNC, null),
        stalled: (detail) => void this.disconnect('ready_timeout', detail),
      },
      settings.timeouts,
      this.log,
    );
  }

  async start(): Promise<void> {
    if (this.endError) throw this.endError;
    if (this.client) throw new GatewayError('engine_error', 'this engine session was already started');
    const client = this.launchClient();
    const aborted = new Promise<never>((_, reject) => (this.abortStart = reject));
    this.initializing = true;
    try {
      await Promise.race([client.initialize().finally(() => (this.initializing = false)), aborted]);
      this.watchBrowser(client);
    } catch (error) {
      const failure = toGatewayError(error);
      await this.close(failure);
      throw failure;
    }
  }

  stop(): Promise<void> {
    return this.close(new GatewayError('session_stopped', 'the session has stopped'));
  }

  async logout(): Promise<void> {
    const loggedOut = new GatewayError('session_stopped', 'the session logged out');
    const failure = await this.unlink(loggedOut);
    await this.close(loggedOut);
    await this.removeProfile();
    if (failure) throw new GatewayError('engine_error', `the stored login was deleted, but WhatsApp could not be told: ${failure.message}`);
  }

  browserProcessId(): number | undefined {
    return this.endError ? undefined : this.browserPid;
  }

  private launchClient(): ClientLike {
    const { dataDir, chromePath, chromeArgs, webVersion, webVersionCacheDir, pairingCodeIntervalMs } = this.settings;
    const { pairWithPhoneNumber } = this.login;
    const executablePath = findBrowser(chromePath);
    if (clearStaleProfileLock(storedLoginDir(dataDir, this.sessionId))) this.log.warn('removed a stale browser profile lock');
    const options = buildClientOptions({
      sessionId: this.sessionId,
      dataDir,
      executablePath,
      args: launchArgs(chromeArgs),
      userAgent: userAgentOf(executablePath),
      webVersion,
      webVersionCacheDir,
      ...(pairWithPhoneNumber && { pairing: { phoneNumber: pairWithPhoneNumber, intervalMs: pairingCodeIntervalMs } }),
    });
    const client = this.settings.createClient(options);
    this.client = client;
    this.listen(client);
    guardInjections(client, () => this.readyWatch.arm(), this.guardHooks);
    guardPairingRequests(client, this.guardHooks);
    this.log.info({ executablePath }, 'launching WhatsApp Web');
    return client;
  }

  private listen(client: ClientLike): void {
    client.on('qr', (qr) => this.handle(client, () => this.listener.onQr(qr)));
    client.on('code', (code) => this.handle(client, () => this.listener.onPairingCode(code)));
    client.on('authenticated', () => this.handle(client, () => this.onAuthenticated()));
    client.on('ready', () => this.handle(client, () => this.onReady(client)));
    this.incoming.listen(client, (handler) => this.handle(client, handler));
    this.groupInvites.listen(client, (handler) => this.handle(client, handler));
    this.groupEvents.listen(client, (handler) => this.handle(client, handler));
    client.on('disconnected', (reason) => this.onClientDisconnected(client, String(reason)));
    // With LocalAuth a rejected login just shows a new QR; should a strategy report it anyway, a
    // restart (which shows that QR) is the cure, so it is not the final 'logged_out'.
    client.on('auth_failure', () => void this.disconnect('connection_lost', 'WhatsApp rejected the stored login'));
  }

  /** Runs an event handler unless the session is ending; errors are logged, never thrown into the library. */
  private handle(client: ClientLike, handler: () => unknown): void {
    if (this.endError) return;
    try {
      this.watchBrowser(client);
      const result = handler();
      if (result instanceof Promise)
        result.catch((error: unknown) => this.log.error({ err: error }, 'handling a WhatsApp Web event failed'));
    } catch (error) {
      this.log.error({ err: error }, 'handling a WhatsApp Web event failed');
    }
  }

  private onAuthenticated(): void {
    this.log.info('authenticated');
    this.readyWatch.loggedIn();
  }

  /**
   * `ready` fires again after every page load, and every page load brings WhatsApp Web's own message
   * keys and the library's unread count events back: mend both each time, report the connection once.
   */
  private async onReady(client: ClientLike): Promise<void> {
    this.readyWatch.disarm();
    await this.calls.script('unread count events', SKIP_UNREAD_COUNT_EVENTS, null).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not turn off the unread count events');
    });
    const keys = await this.calls.script('message key check', RESTORE_MESSAGE_KEYS, null).catch((error: unknown) => {
      this.log.warn({ err: error }, "could not check the page's message keys");
      return 'unchecked';
    });
    this.connection ??= this.reportConnected(client, keys).catch((error: unknown) => {
      this.connection = null; // the next `ready` tries again
      throw error;
    });
    await this.connection;
  }

  private async reportConnected(client: ClientLike, messageKeys: string): Promise<void> {
    const webVersion = await this.calls.run('version check', (c) => c.getWWebVersion()).catch(() => undefined);
    if (this.endError) return;
    const { wid, pushname } = client.info;
    this.log.info({ webVersion, messageKeys }, 'connected');
    this.listener.onConnected({ phoneNumber: wid.user, pushname, ...(webVersion && { webVersion }) });
    this.liveness = watchLiveness(this.settings.timeouts.livenessMs, {
      probe: () => this.calls.run('liveness check', (c) => c.getState()),
      hasEnded: this.hasEnded,
      lost: this.connectionLost,
    });
  }

  private onClientDisconnected(client: ClientLike, reason: string): void {
    if (reason === 'LOGOUT') {
      const loginShown = this.login.pairWithPhoneNumber ? 'code' : 'qr';
      const relaunched = new Promise<void>((resolve) => client.once(loginShown, () => resolve()));
      void this.disconnect('logged_out', 'the account was logged out from the phone', (error) =>
        this.closeAfterPhoneLogout(relaunched, error),
      );
    } else if (this.connection && UNLINKED_STATES.has(reason)) {
      void this.disconnect('logged_out', `the phone unlinked this device (${reason})`, async (error) => {
        await this.close(error);
        await this.removeProfile().catch((failure: unknown) => this.log.error({ err: failure }, 'removing the stored login failed'));
      });
    } else {
      void this.disconnect('connection_lost', `WhatsApp Web disconnected (${reason})`);
    }
  }

  /** Closes the browser, then tells the gateway: a restart never meets a browser still holding the profile. */
  private async disconnect(
    reason: EngineDisconnectReason,
    detail: string,
    closeDown: (error: GatewayError) => Promise<void> = (error) => this.close(error),
  ): Promise<void> {
    if (this.endError) return;
    const error = new GatewayError('engine_error', detail);
    this.endError = error;
    this.log.warn({ reason, detail }, 'WhatsApp session ended');
    await closeDown(error);
    try {
      this.listener.onDisconnected(reason);
    } catch (failure) {
      this.log.error({ err: failure }, 'handling the disconnection failed');
    }
  }

  /**
   * After a phone logout the library deletes the profile, re-creates its folder and then shows a
   * new QR in this browser. Once that QR is up it is done with the folder, which can go for good.
   */
  private async closeAfterPhoneLogout(relaunched: Promise<void>, error: GatewayError): Promise<void> {
    const { phoneLogoutMs } = this.settings.timeouts;
    try {
      await withTimeout(relaunched, phoneLogoutMs, () => new Error(`no new QR within ${phoneLogoutMs} ms after the logout`));
    } catch (failure) {
      this.log.warn({ err: failure }, 'removing the stored login anyway');
    }
    await this.close(error);
    await this.removeProfile().catch((failure: unknown) => this.log.error({ err: failure }, 'removing the stored login failed'));
  }

  private removeProfile(): Promise<void> {
    return fs.rm(storedLoginDir(this.settings.dataDir, this.sessionId), { recursive: true, force: true });
  }

  /** pupBrowser exists once launched; remember its pid and notice when it dies without being asked to. */
  private watchBrowser(client: ClientLike): void {
    const browser = client.pupBrowser;
    if (!browser || this.browserWatched) return;
    this.browserWatched = true;
    this.browserPid = browser.process()?.pid;
    keepPipeErrorsHandled(browser.process(), (error) => this.log.debug({ err: error }, 'write to a closed browser pipe'));
    browser.once('disconnected', () => void this.disconnect('browser_closed', 'the browser closed unexpectedly'));
    client.pupPage?.once('error', () => void this.disconnect('browser_closed', 'the WhatsApp Web page crashed'));
  }

  /** The account's own id, once the library knows it. */
  private ownIds(): string[] {
    const own = this.client?.info?.wid?._serialized;
    return own ? [own] : [];
  }

  private usableClient(): ClientLike {
    if (this.endError) throw this.endError;
    if (!this.client) throw new GatewayError('session_not_connected', 'the session has not started');
    return this.client;
  }

  /** Asks WhatsApp to drop this linked device; resolves with the failure, if any. */
  private async unlink(loggedOut: GatewayError): Promise<GatewayError | null> {
    try {
      const client = this.usableClient();
      this.endError = loggedOut; // the library's own disconnected('LOGOUT') that follows is no news
      await limit('logout', this.settings.timeouts.logoutMs, () => client.logout());
      return null;
    } catch (error) {
      return toGatewayError(error);
    }
  }

  /** Ends the session once; `error` is what later calls reject with. Never rejects. */
  private close(error: GatewayError): Promise<void> {
    this.endError ??= error;
    clearInterval(this.liveness);
    this.readyWatch.disarm();
    this.abortStart?.(this.endError);
    this.closing ??= this.closeBrowser().catch((failure: unknown) => this.log.error({ err: failure }, 'closing the browser failed'));
    return this.closing;
  }

  private async closeBrowser(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await this.waitForLaunch(client);
    this.watchBrowser(client);
    const { destroyMs } = this.settings.timeouts;
    try {
      await withTimeout(client.destroy(), destroyMs, () => new Error(`destroy() did not finish within ${destroyMs} ms`));
    } catch (error) {
      this.log.warn({ err: error }, 'closing the browser failed; killing it');
    }
    // Also after a clean close: puppeteer kills the group only while its leader lives, so the
    // helpers of a browser that crashed (or was OOM-killed) would linger.
    if (this.browserPid) killProcessGroup(this.browserPid);
    this.log.info('browser closed');
  }

  /** The library assigns pupBrowser only after launching; closing before that would leave the browser running. */
  private async waitForLaunch(client: ClientLike): Promise<void> {
    const deadline = Date.now() + this.settings.timeouts.launchMs;
    while (this.initializing && !client.pupBrowser && Date.now() < deadline) await sleep(LAUNCH_POLL_MS);
  }
}
