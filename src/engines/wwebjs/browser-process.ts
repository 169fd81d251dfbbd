/**
 * The Chromium under one session's client: its pid, noticing when it dies without being asked to,
 * and closing it for sure (destroy(), then its whole process group).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logger';
import { withTimeout } from '../../util/time-limit';
import { keepPipeErrorsHandled, killProcessGroup } from './browser';
import type { ClientLike } from './client';
import type { SessionTimeouts } from './settings';

const LAUNCH_POLL_MS = 100;

export interface BrowserProcessHooks {
  /** The browser or its page died under the session. */
  closed: (detail: string) => void;
  /** True while the client's initialize() runs: the library may still be launching the browser. */
  initializing: () => boolean;
  log: Logger;
}

export class BrowserProcess {
  private watched = false;
  private browserPid: number | undefined;

  constructor(
    private readonly hooks: BrowserProcessHooks,
    private readonly timeouts: Pick<SessionTimeouts, 'destroyMs' | 'launchMs'>,
  ) {}

  get pid(): number | undefined {
    return this.browserPid;
  }

  /** pupBrowser exists once launched; remember its pid and notice when it dies without being asked to. */
  watch(client: ClientLike): void {
    const browser = client.pupBrowser;
    if (!browser || this.watched) return;
    this.watched = true;
    this.browserPid = browser.process()?.pid;
    keepPipeErrorsHandled(browser.process(), (error) => this.hooks.log.debug({ err: error }, 'write to a closed browser pipe'));
    browser.once('disconnected', () => this.hooks.closed('the browser closed unexpectedly'));
    client.pupPage?.once('error', () => this.hooks.closed('the WhatsApp Web page crashed'));
  }

  async close(client: ClientLike): Promise<void> {
    await this.waitForLaunch(client);
    this.watch(client);
    const { destroyMs } = this.timeouts;
    try {
      await withTimeout(client.destroy(), destroyMs, () => new Error(`destroy() did not finish within ${destroyMs} ms`));
    } catch (error) {
      this.hooks.log.warn({ err: error }, 'closing the browser failed; killing it');
    }
    // Also after a clean close: puppeteer kills the group only while its leader lives, so the
    // helpers of a browser that crashed (or was OOM-killed) would linger.
    if (this.browserPid) killProcessGroup(this.browserPid);
    this.hooks.log.info('browser closed');
  }

  /** The library assigns pupBrowser only after launching; closing before that would leave the browser running. */
  private async waitForLaunch(client: ClientLike): Promise<void> {
    const deadline = Date.now() + this.timeouts.launchMs;
    while (this.hooks.initializing() && !client.pupBrowser && Date.now() < deadline) await sleep(LAUNCH_POLL_MS);
  }
}
