/** The engine that drives real WhatsApp Web through whatsapp-web.js and Chromium. */
import type { Engine, EngineListener, EngineSession } from '../engine';
import { findBrowser } from './browser';
import { createWwebjsClient, type ClientFactory } from './client';
import { DEFAULT_TIMEOUTS, WwebjsSession, type SessionSettings, type SessionTimeouts } from './wwebjs-session';

/** SessionSettings, with the client factory and the time limits optional (defaults: a real Client, DEFAULT_TIMEOUTS). */
export type WwebjsEngineOptions = Omit<SessionSettings, 'createClient' | 'timeouts'> & {
  createClient?: ClientFactory;
  timeouts?: Partial<SessionTimeouts>;
};

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
