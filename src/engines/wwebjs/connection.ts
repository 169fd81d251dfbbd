/**
 * From the login to the connection and while it lasts: `authenticated`, every `ready` (with the
 * page mending each page load needs), the one onConnected report, and the liveness probes after it.
 * ready-watch.ts covers a login whose `ready` never comes; liveness.ts a page that stops answering.
 */
import type { Logger } from '../../logger';
import type { EngineDisconnectReason, EngineListener } from '../engine';
import type { ClientLike } from './client';
import type { ClientCalls } from './client-calls';
import { watchLiveness } from './liveness';
import { FINISH_LIBRARY_SYNC, READ_PAGE_STATE, RESTORE_MESSAGE_KEYS, SKIP_UNREAD_COUNT_EVENTS } from './page-scripts';
import { ReadyWatch } from './ready-watch';
import type { SessionTimeouts } from './settings';

export interface ConnectionDeps {
  calls: ClientCalls;
  listener: EngineListener;
  timeouts: SessionTimeouts;
  log: Logger;
  /** True once the session is ending: nothing more is reported. */
  hasEnded: () => boolean;
  /** The session cannot go on with this page: it ends for `reason`. */
  disconnect: (reason: EngineDisconnectReason, detail: string) => void;
}

export class WwebjsConnection {
  private readonly readyWatch: ReadyWatch;
  /** Set by the first `ready`: the connection is reported once. */
  private connection: Promise<void> | null = null;
  private liveness?: NodeJS.Timeout;

  constructor(private readonly deps: ConnectionDeps) {
    const { calls, timeouts, log, disconnect } = deps;
    this.readyWatch = new ReadyWatch(
      {
        // Asked every readyPollMs: an answer that takes much longer than that is no answer.
        readState: () => calls.script('page state', READ_PAGE_STATE, null, 5 * timeouts.readyPollMs),
        finishSync: () => calls.script('sync handler', FINISH_LIBRARY_SYNC, null),
        stalled: (detail) => disconnect('ready_timeout', detail),
      },
      timeouts,
      log,
    );
  }

  /** `ready` came (its connection is reported, or being reported). */
  get isReady(): boolean {
    return this.connection !== null;
  }

  /** The library injected itself into a page load: wait for its `ready`. */
  injected(): void {
    this.readyWatch.arm();
  }

  onAuthenticated(): void {
    this.deps.log.info('authenticated');
    this.readyWatch.loggedIn();
  }

  /**
   * `ready` fires again after every page load, and every page load brings WhatsApp Web's own message
   * keys and the library's unread count events back: mend both each time, report the connection once.
   */
  async onReady(client: ClientLike): Promise<void> {
    const { calls, log } = this.deps;
    this.readyWatch.disarm();
    await calls.script('unread count events', SKIP_UNREAD_COUNT_EVENTS, null).catch((error: unknown) => {
      log.warn({ err: error }, 'could not turn off the unread count events');
    });
    const keys = await calls.script('message key check', RESTORE_MESSAGE_KEYS, null).catch((error: unknown) => {
      log.warn({ err: error }, "could not check the page's message keys");
      return 'unchecked';
    });
    this.connection ??= this.reportConnected(client, keys).catch((error: unknown) => {
      this.connection = null; // the next `ready` tries again
      throw error;
    });
    await this.connection;
  }

  /** The session is ending: no more probes, no more waiting for `ready`. */
  end(): void {
    clearInterval(this.liveness);
    this.readyWatch.disarm();
  }

  private async reportConnected(client: ClientLike, messageKeys: string): Promise<void> {
    const { calls, listener, timeouts, log, hasEnded, disconnect } = this.deps;
    const webVersion = await calls.run('version check', (c) => c.getWWebVersion()).catch(() => undefined);
    if (hasEnded()) return;
    const { wid, pushname } = client.info;
    log.info({ webVersion, messageKeys }, 'connected');
    listener.onConnected({ phoneNumber: wid.user, pushname, ...(webVersion && { webVersion }) });
    this.liveness = watchLiveness(timeouts.livenessMs, {
      probe: () => calls.run('liveness check', (c) => c.getState()),
      hasEnded,
      lost: (detail) => disconnect('connection_lost', detail),
    });
  }
}
