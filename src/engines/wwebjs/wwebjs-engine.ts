/** The engine that drives real WhatsApp Web through whatsapp-web.js and Chromium. */
import type { Engine, EngineListener, EngineSession, LoginOptions } from '../engine';
import { findBrowser } from './browser';
import { createWwebjsClient, type ClientFactory } from './client';
import { DEFAULT_PAIRING_CODE_INTERVAL_MS } from './settings';
import { DEFAULT_TIMEOUTS, WwebjsSession, type SessionSettings, type SessionTimeouts } from './wwebjs-session';

/** SessionSettings, with the client factory, the time limits and the code interval optional (defaults: a real Client, DEFAULT_TIMEOUTS, 3 minutes). */
export type WwebjsEngineOptions = Omit<SessionSettings, 'createClient' | 'timeouts' | 'pairingCodeIntervalMs'> & {
  createClient?: ClientFactory;
  timeouts?: Partial<SessionTimeouts>;
  pairingCodeIntervalMs?: number;
};

export class WwebjsEngine implements Engine {
  readonly name = 'wwebjs';
  private readonly settings: SessionSettings;

  constructor(options: WwebjsEngineOptions) {
    this.settings = {
      ...options,
      createClient: options.createClient ?? createWwebjsClient,
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      pairingCodeIntervalMs: options.pairingCodeIntervalMs ?? DEFAULT_PAIRING_CODE_INTERVAL_MS,
    };
  }

  assertCanStart(): void {
    findBrowser(this.settings.chromePath);
  }

  createSession(sessionId: string, listener: EngineListener, login: LoginOptions = {}): EngineSession {
    return new WwebjsSession(sessionId, listener, this.settings, login);
  }
}
