/**
 * One WhatsApp account driven through one whatsapp-web.js Client and its Chromium. Single use: after
 * stop, logout, a failed start or a reported disconnect the browser is gone, and the gateway creates a
 * new session to go on. Every library call is time-limited and rejects with a GatewayError (see
 * client-calls.ts); the event handlers never throw into the library. What a connected session can do
 * lives in one file per capability: messaging.ts, contacts.ts, media.ts; what it hears about messages
 * and calls in incoming-events.ts. Its own parts: launch-options.ts (how the client is launched),
 * connection.ts (from the login to `ready` and the liveness probes), browser-process.ts (the Chromium,
 * its death and its closing) and phone-logout.ts (logouts made from the phone). This file wires them
 * to the client and ends the session once.
 */
import type { EngineDisconnectReason, EngineListener, EngineSession, LoginOptions } from '../engine';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import type { Logger } from '../../logger';
import { BrowserProcess } from './browser-process';
import type { ClientLike } from './client';
import { ClientCalls, limit } from './client-calls';
import { guardInjections, guardPairingRequests, type GuardHooks } from './client-guards';
import { WwebjsAccount } from './account';
import { WwebjsChats } from './chats';
import { WwebjsContacts } from './contacts';
import { launchOptions } from './launch-options';
import { LidDirectory } from './lid-directory';
import { WwebjsCalling } from './calling';
import { WwebjsConnection } from './connection';
import { GatewaySends } from './gateway-sends';
import { WwebjsGroupInvites } from './group-invites';
import { WwebjsCatchUp } from './catch-up';
import { GroupEvents } from './group-events';
import { WwebjsGroups } from './groups';
import { IncomingEvents } from './incoming-events';
import { WwebjsMedia } from './media';
import { WwebjsMessageActions } from './message-actions';
import { WwebjsMessaging } from './messaging';
import { PHONES_OF_LIDS } from './page-scripts';
import { nextLoginShown, removeProfile, UNLINKED_STATES, untilDoneWithProfile } from './phone-logout';
import type { SessionSettings } from './settings';

export { DEFAULT_TIMEOUTS, type SessionSettings, type SessionTimeouts } from './settings';

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
  private readonly connection: WwebjsConnection;
  private readonly browser: BrowserProcess;
  private client: ClientLike | null = null;
  private initializing = false;
  /** Set once the session is ending: calls reject with it and client events are ignored. */
  private endError: GatewayError | null = null;
  private closing: Promise<void> | null = null;
  private abortStart: ((error: GatewayError) => void) | null = null;
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
    const { calls } = this;
    const { timeouts } = settings;
    const disconnect = (reason: EngineDisconnectReason, detail: string) => void this.disconnect(reason, detail);
    this.connection = new WwebjsConnection({ calls, listener, timeouts, log, hasEnded, disconnect });
    const closed = (detail: string) => disconnect('browser_closed', detail);
    this.browser = new BrowserProcess({ closed, initializing: () => this.initializing, log }, timeouts);
  }

  async start(): Promise<void> {
    if (this.endError) throw this.endError;
    if (this.client) throw new GatewayError('engine_error', 'this engine session was already started');
    const client = this.launchClient();
    const aborted = new Promise<never>((_, reject) => (this.abortStart = reject));
    this.initializing = true;
    try {
      await Promise.race([client.initialize().finally(() => (this.initializing = false)), aborted]);
      this.browser.watch(client);
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
    return this.endError ? undefined : this.browser.pid;
  }

  private launchClient(): ClientLike {
    const { executablePath, options } = launchOptions(this.sessionId, this.settings, this.login, this.log);
    const client = this.settings.createClient(options);
    this.client = client;
    this.listen(client);
    guardInjections(client, () => this.connection.injected(), this.guardHooks);
    guardPairingRequests(client, this.guardHooks);
    this.log.info({ executablePath }, 'launching WhatsApp Web');
    return client;
  }

  private listen(client: ClientLike): void {
    client.on('qr', (qr) => this.handle(client, () => this.listener.onQr(qr)));
    client.on('code', (code) => this.handle(client, () => this.listener.onPairingCode(code)));
    client.on('authenticated', () => this.handle(client, () => this.connection.onAuthenticated()));
    client.on('ready', () => this.handle(client, () => this.connection.onReady(client)));
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
      this.browser.watch(client);
      const result = handler();
      if (result instanceof Promise)
        result.catch((error: unknown) => this.log.error({ err: error }, 'handling a WhatsApp Web event failed'));
    } catch (error) {
      this.log.error({ err: error }, 'handling a WhatsApp Web event failed');
    }
  }

  private onClientDisconnected(client: ClientLike, reason: string): void {
    if (reason === 'LOGOUT') {
      const relaunched = nextLoginShown(client, this.login);
      void this.disconnect('logged_out', 'the account was logged out from the phone', async (error) => {
        await untilDoneWithProfile(relaunched, this.settings.timeouts.phoneLogoutMs, this.log);
        await this.closeForgettingLogin(error);
      });
    } else if (this.connection.isReady && UNLINKED_STATES.has(reason)) {
      void this.disconnect('logged_out', `the phone unlinked this device (${reason})`, (error) => this.closeForgettingLogin(error));
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

  /** The phone logged out: the stored login goes once the browser is closed. */
  private async closeForgettingLogin(error: GatewayError): Promise<void> {
    await this.close(error);
    await this.removeProfile().catch((failure: unknown) => this.log.error({ err: failure }, 'removing the stored login failed'));
  }

  private removeProfile(): Promise<void> {
    return removeProfile(this.settings.dataDir, this.sessionId);
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
    this.connection.end();
    this.abortStart?.(this.endError);
    this.closing ??= this.closeBrowser().catch((failure: unknown) => this.log.error({ err: failure }, 'closing the browser failed'));
    return this.closing;
  }

  private async closeBrowser(): Promise<void> {
    if (this.client) await this.browser.close(this.client);
  }
}
