/** What a wwebjs session is configured with: paths, browser, time limits. */
import type { Logger } from '../../logger';
import type { ClientFactory } from './client';
import type { ReadyWatchTimes } from './ready-watch';

export interface SessionTimeouts extends ReadyWatchTimes {
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

export const DEFAULT_TIMEOUTS: SessionTimeouts = {
  destroyMs: 5_000,
  launchMs: 20_000,
  phoneLogoutMs: 10_000,
  sendMs: 120_000,
  logoutMs: 15_000,
  callMs: 30_000,
  livenessMs: 30_000,
  readyPollMs: 1_000,
  readyNudgeMs: 3_000,
  readyTimeoutMs: 90_000,
};

/** WhatsApp's own pace (and the library's default): a new pairing code every 3 minutes. */
export const DEFAULT_PAIRING_CODE_INTERVAL_MS = 180_000;

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
  /** WWEBJS_PAIRING_CODE_INTERVAL_MS: how often a session logging in with a pairing code gets a new one. */
  pairingCodeIntervalMs: number;
}
