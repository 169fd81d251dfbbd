/** The engine that drives real WhatsApp Web through whatsapp-web.js and Chromium. */
import type { Engine, EngineListener, EngineSession } from '../engine';
import type { Logger } from '../../logger';
import { findBrowser } from './browser';
import { createWwebjsClient, type ClientFactory } from './client';
import { DEFAULT_TIMEOUTS, WwebjsSession, type SessionSettings, type SessionTimeouts } from './wwebjs-session';

export interface WwebjsEngineOptions {
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
  /** Tests inject a fake client here; the default builds a real whatsapp-web.js Client. */
  createClient?: ClientFactory;
  timeouts?: Partial<SessionTimeouts>;
}

export class WwebjsEngine implements Engine {
  readonly name = 'wwebjs';
  private readonly settings: SessionSettings;

  constructor(options: WwebjsEngineOptions) {
    this.settings = {
      ...options,
      createClient: options.createClient ?? createWwebjsClient,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    };
  }

  assertCanStart(): void {
    findBrowser(this.settings.chromePath);
  }

  createSession(sessionId: string, listener: EngineListener): EngineSession {
    return new WwebjsSession(sessionId, listener, this.settings);
  }
}
