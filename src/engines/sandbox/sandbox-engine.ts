/**
 * WA_ENGINE=sandbox: a WhatsApp stand-in for building bots without a phone
 * and for this project's tests and benchmarks. Its behaviour is part of the
 * documented API (docs/sandbox.md): it pairs by itself, echoes what it is
 * sent, and treats numbers ending in 000 as not on WhatsApp.
 */
import type { Engine, EngineListener, EngineSession, LoginOptions } from '../engine';
import { SandboxOfflineArrivals } from './inbox';
import { SandboxSession, type SandboxOptions } from './sandbox-session';

export { sandboxPairingCode, sandboxPhoneNumber } from './sandbox-world';
export { readSandboxSent } from './sent-record';

export class SandboxEngine implements Engine {
  readonly name = 'sandbox' as const;
  readonly offlineArrivals: SandboxOfflineArrivals;

  constructor(private readonly options: SandboxOptions) {
    this.offlineArrivals = new SandboxOfflineArrivals(options.storage);
  }

  assertCanStart(): void {}

  createSession(sessionId: string, listener: EngineListener, login: LoginOptions = {}): EngineSession {
    return new SandboxSession(sessionId, listener, this.options, login);
  }
}
