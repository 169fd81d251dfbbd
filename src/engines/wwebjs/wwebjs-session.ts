/**
 * One WhatsApp account driven through one whatsapp-web.js Client and its
 * Chromium. Single use: after stop, logout, a failed start or a reported
 * disconnect the browser is gone, and the gateway creates a new session to
 * go on. Every library call is time-limited and rejects with a
 * GatewayError; the event handlers never throw into the library.
 */
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type wwebjs from 'whatsapp-web.js';
import type { EngineDisconnectReason, EngineListener, EngineSession, OutgoingMessage, SentMessage } from '../engine';
import { GatewayError, toGatewayError } from '../../protocol/errors';
import type { ProfileInfo } from '../../protocol/schemas';
import type { Logger } from '../../logger';
import { clearStaleProfileLock, findBrowser, killProcessGroup, launchArgs } from './browser';
import { storedLoginDir } from '../../sessions/storage';
import { buildClientOptions, type ClientFactory, type ClientLike } from './client';
import { toAckStatus, toIncomingMessage } from './message-mapper';
import { toSendArguments, toSentMessage } from './outgoing-message';
import { withTimeout } from '../../util/time-limit';

export interface SessionTimeouts {
  /** For `client.destroy()`; after it the browser's process group is killed. */
  destroyMs: number;
  /** How long a stop during launch waits for the browser to exist, so it can be closed. */
  launchMs: number;
  /** After a logout from the phone: how long the library may take to finish with the profile folder. */
  phoneLogoutMs: number;
  sendMs: number;
  logoutMs: number;
  /** Every other call (lookups, typing, read receipts, the liveness probe). */
  callMs: number;
  /**
   * How often a connected session asks the page for its connection state. A page that does not
   * answer within callMs is reported lost, so a hung page never passes for connected.
   */
  livenessMs: number;
}

const LIVENESS_FAILURES = 2;

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  destroyMs: 5_000,
  launchMs: 20_000,
  phoneLogoutMs: 10_000,
  sendMs: 120_000,
  logoutMs: 15_000,
  callMs: 30_000,
  livenessMs: 30_000,
};

export interface SessionSettings {
  /** DATA_DIR: LocalAuth keeps each session's Chrome profile in `<dataDir>/session-<id>`. */
  dataDir: string;
  /** CHROME_PATH; when unset the usual Chromium/Chrome locations are searched. */
  chromePath?: string;
  /** CHROME_ARGS, added to the engine's own launch flags. */
  chromeArgs: string[];
  webVersion?: string;
  /** Where WhatsApp Web's `<webVersion>.html` is cached (whatsapp-web.js's local web cache). */
  webVersionCacheDir?: string;
  logger: Logger;
  /** Tests inject a fake client here; the engine's default builds a real whatsapp-web.js Client. */
  createClient: ClientFactory;
  timeouts: SessionTimeouts;
}

const LAUNCH_POLL_MS = 100;

export class WwebjsSession implements EngineSession {
  private readonly log: Logger;
  private client: ClientLike | null = null;
  private initializing = false;
  private connected = false;
  private browserWatched = false;
  private browserPid: number | undefined;
  /** Set once the session is ending: calls reject with it and client events are ignored. */
  private endError: GatewayError | null = null;
  private closing: Promise<void> | null = null;
  private abortStart: ((error: GatewayError) => void) | null = null;
  private liveness?: NodeJS.Timeout;

  constructor(
    private readonly sessionId: string,
    private readonly listener: EngineListener,
    private readonly settings: SessionSettings,
  ) {
    this.log = settings.logger.child({ sessionId });
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
      this.guardReinject(client);
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

  async sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    const sent = await this.call('send', this.settings.timeouts.sendMs, async (client) =>
      client.sendMessage(chatId, ...(await toSendArguments(message))),
    );
    return toSentMessage(sent);
  }

  async lookupNumber(chatId: string): Promise<string | null> {
    const id = await this.call('number lookup', this.settings.timeouts.callMs, (client) => client.getNumberId(chatId));
    return id?._serialized ?? null;
  }

  getProfile(chatId: string): Promise<ProfileInfo> {
    return this.call('profile lookup', this.settings.timeouts.callMs, async (client) => {
      const contact = await client.getContactById(chatId);
      const [about, profilePicUrl] = await Promise.all([orNull(() => contact.getAbout()), client.getProfilePicUrl(chatId)]);
      return {
        jid: contact.id._serialized,
        name: contact.name ?? null,
        pushname: contact.pushname || null,
        about,
        profilePicUrl: profilePicUrl ?? null,
        isBusiness: contact.isBusiness,
      };
    });
  }

  setTyping(chatId: string, isTyping: boolean): Promise<void> {
    return this.call('typing state', this.settings.timeouts.callMs, async (client) => {
      // Typed as always found; the library returns undefined for an unknown chat.
      const chat: wwebjs.Chat | undefined = await client.getChatById(chatId);
      if (!chat) throw new GatewayError('engine_error', 'chat not found');
      await (isTyping ? chat.sendStateTyping() : chat.clearState());
    });
  }

  browserProcessId(): number | undefined {
    return this.endError ? undefined : this.browserPid;
  }

  async markRead(chatId: string): Promise<void> {
    await this.call('read receipt', this.settings.timeouts.callMs, (client) => client.sendSeen(chatId));
  }

  private launchClient(): ClientLike {
    const { dataDir, chromePath, chromeArgs, webVersion, webVersionCacheDir } = this.settings;
    const executablePath = findBrowser(chromePath);
    if (clearStaleProfileLock(storedLoginDir(dataDir, this.sessionId))) this.log.warn('removed a stale browser profile lock');
    const options = buildClientOptions({
      sessionId: this.sessionId,
      dataDir,
      executablePath,
      args: launchArgs(chromeArgs),
      webVersion,
      webVersionCacheDir,
    });
    const client = this.settings.createClient(options);
    this.client = client;
    this.listen(client);
    this.log.info({ executablePath }, 'launching WhatsApp Web');
    return client;
  }

  private listen(client: ClientLike): void {
    client.on('qr', (qr) => this.handle(client, () => this.listener.onQr(qr)));
    client.on('authenticated', () => this.handle(client, () => this.log.info('authenticated')));
    client.on('ready', () => this.handle(client, () => this.onReady(client)));
    client.on('message', (msg) => this.handle(client, () => this.onMessage(msg)));
    client.on('message_ack', (msg, ack) => this.handle(client, () => this.onAck(msg.id._serialized, ack)));
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
      handler();
    } catch (error) {
      this.log.error({ err: error }, 'handling a WhatsApp Web event failed');
    }
  }

  /** `ready` fires again after every page navigation: report the connection once. */
  private onReady(client: ClientLike): void {
    if (this.connected) return;
    const { wid, pushname } = client.info;
    this.connected = true;
    this.log.info('connected');
    this.listener.onConnected({ phoneNumber: wid.user, pushname });
    this.watchLiveness();
  }

  /**
   * Events only say what the page reports; a hung or detached page reports nothing, so ask it.
   * Two failures in a row are needed: one probe can meet a page in the middle of a reload.
   */
  private watchLiveness(): void {
    let probing = false;
    let failures = 0;
    this.liveness = setInterval(() => {
      if (probing || this.endError) return;
      probing = true;
      this.call('liveness check', this.settings.timeouts.callMs, (client) => client.getState())
        .then(
          () => (failures = 0),
          (error: GatewayError) => {
            failures += 1;
            if (failures >= LIVENESS_FAILURES) void this.disconnect('connection_lost', `WhatsApp Web stopped answering: ${error.message}`);
          },
        )
        .finally(() => (probing = false));
    }, this.settings.timeouts.livenessMs);
    this.liveness.unref();
  }

  private onMessage(msg: wwebjs.Message): void {
    if (msg.isStatus) return; // status@broadcast stories, not chat messages
    this.listener.onMessage(toIncomingMessage(msg));
  }

  private onAck(messageId: string, ack: number): void {
    const status = toAckStatus(ack);
    if (status) this.listener.onAck(messageId, status);
  }

  private onClientDisconnected(client: ClientLike, reason: string): void {
    if (reason !== 'LOGOUT') {
      void this.disconnect('connection_lost', `WhatsApp Web disconnected (${reason})`);
      return;
    }
    const relaunched = new Promise<void>((resolve) => client.once('qr', () => resolve()));
    void this.disconnect('logged_out', 'the account was logged out from the phone', (error) =>
      this.closeAfterPhoneLogout(relaunched, error),
    );
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

  /**
   * After initialize() the library calls `inject()` again only from its unawaited 'framenavigated'
   * listener, on every page load: a failure there (the browser closed under it after a phone logout,
   * or a page that is not WhatsApp Web: 'auth timeout') would be an unhandled rejection, and the page
   * left without the library's hooks. Catch it: ignored once the session is ending, else reported.
   */
  private guardReinject(client: ClientLike): void {
    const inject = client.inject;
    if (typeof inject !== 'function') return;
    client.inject = () =>
      inject.call(client).catch((error: unknown) => {
        if (this.endError) return;
        this.log.warn({ err: error }, 'WhatsApp Web could not be re-attached after a page load');
        void this.disconnect('connection_lost', `WhatsApp Web could not be re-attached after a page load (${String(error)})`);
      });
  }

  /** pupBrowser exists once launched; remember its pid and notice when it dies without being asked to. */
  private watchBrowser(client: ClientLike): void {
    const browser = client.pupBrowser;
    if (!browser || this.browserWatched) return;
    this.browserWatched = true;
    this.browserPid = browser.process()?.pid;
    browser.once('disconnected', () => void this.disconnect('browser_closed', 'the browser closed unexpectedly'));
    client.pupPage?.once('error', () => void this.disconnect('browser_closed', 'the WhatsApp Web page crashed'));
  }

  private async call<T>(what: string, ms: number, run: (client: ClientLike) => Promise<T>): Promise<T> {
    return this.limit(what, ms, () => run(this.usableClient()));
  }

  private usableClient(): ClientLike {
    if (this.endError) throw this.endError;
    if (!this.client) throw new GatewayError('session_not_connected', 'the session has not started');
    return this.client;
  }

  private async limit<T>(what: string, ms: number, begin: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        begin(),
        ms,
        () => new GatewayError('engine_error', `WhatsApp Web did not answer the ${what} within ${ms} ms`),
      );
    } catch (error) {
      throw toGatewayError(error);
    }
  }

  /** Asks WhatsApp to drop this linked device; resolves with the failure, if any. */
  private async unlink(loggedOut: GatewayError): Promise<GatewayError | null> {
    try {
      const client = this.usableClient();
      this.endError = loggedOut; // the library's own disconnected('LOGOUT') that follows is no news
      await this.limit('logout', this.settings.timeouts.logoutMs, () => client.logout());
      return null;
    } catch (error) {
      return toGatewayError(error);
    }
  }

  /** Ends the session once; `error` is what later calls reject with. Never rejects. */
  private close(error: GatewayError): Promise<void> {
    this.endError ??= error;
    clearInterval(this.liveness);
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

async function orNull<T>(read: () => Promise<T | null | undefined>): Promise<T | null> {
  try {
    return (await read()) ?? null;
  } catch {
    return null;
  }
}
