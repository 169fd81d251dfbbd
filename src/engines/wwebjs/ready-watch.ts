/**
 * Between a login on the page and whatsapp-web.js's `ready`. The library only notices a sync that
 * finishes after it started listening, so a page that finished first (a quick restore, a reload after
 * the scan) never gets `ready` and the session would wait for ever. Armed after every injection of
 * the library, disarmed by `ready`: once the page has logged in, a page that has synced is handed to
 * the library's own sync handler after `nudgeAfterMs`, and a login still not ready after `timeoutMs`
 * is reported stalled (the session then restarts the browser). See docs/decisions.md, "Logins that
 * never finish".
 */
import type { Logger } from '../../logger';
import type { PageState } from './page-scripts';

export interface ReadyWatchTimes {
  /** How often the page is asked for its state while waiting. */
  readyPollMs: number;
  /** From the page's login to handing a synced page to the library ourselves (at most half of readyTimeoutMs). */
  readyNudgeMs: number;
  /** From the page's login to giving up on `ready`. */
  readyTimeoutMs: number;
}

interface ReadyWatchHooks {
  readState(): Promise<PageState>;
  finishSync(): Promise<void>;
  stalled(detail: string): void;
}

export class ReadyWatch {
  private timer?: NodeJS.Timeout;
  private loggedInAt?: number;
  private nudged = false;
  private probing = false;

  constructor(
    private readonly hooks: ReadyWatchHooks,
    private readonly times: ReadyWatchTimes,
    private readonly log: Logger,
  ) {}

  arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.times.readyPollMs);
    this.timer.unref();
    void this.tick();
  }

  /** The library saw the login (`authenticated`), whatever the page state says. */
  loggedIn(): void {
    this.loggedInAt ??= Date.now();
  }

  disarm(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.loggedInAt = undefined;
    this.nudged = false;
  }

  private async tick(): Promise<void> {
    // The deadline first: a page that hangs in the middle of a reload must not hold the clock.
    if (this.expired()) return;
    if (this.probing) return;
    this.probing = true;
    try {
      await this.check();
    } finally {
      this.probing = false;
    }
  }

  private expired(): boolean {
    if (this.loggedInAt === undefined || Date.now() - this.loggedInAt < this.times.readyTimeoutMs) return false;
    this.disarm();
    this.hooks.stalled(`WhatsApp Web logged in but whatsapp-web.js was not ready after ${this.times.readyTimeoutMs} ms`);
    return true;
  }

  private async check(): Promise<void> {
    // A page in the middle of a reload answers nothing: that is no verdict, the clock runs on.
    const page = await this.hooks.readState().catch(() => undefined);
    if (page?.state === 'CONNECTED') this.loggedIn();
    else if (page && page.state !== 'OPENING' && page.state !== 'PAIRING') this.loggedInAt = undefined; // back to a QR
    if (this.loggedInAt === undefined || !this.timer || this.expired()) return;
    const waited = Date.now() - this.loggedInAt;
    // Only a page whose library never loaded: once it has, the library's own handler is on its way.
    const nudgeAfter = Math.min(this.times.readyNudgeMs, this.times.readyTimeoutMs / 2);
    if (page?.hasSynced && !page.libraryLoaded && !this.nudged && waited >= nudgeAfter) {
      this.nudged = true;
      this.log.warn({ waitedMs: waited }, 'WhatsApp Web finished syncing without whatsapp-web.js noticing; running its sync handler');
      await this.hooks.finishSync().catch((error: unknown) => this.log.warn({ err: error }, "the library's sync handler failed"));
    }
  }
}
