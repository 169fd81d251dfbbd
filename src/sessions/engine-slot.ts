/**
 * A session's current engine session and its generation. The generation is bumped on every launch
 * and stop, so late events of an old engine session are ignored; a new one also cancels a restart
 * still waiting, and a launch still waiting for its first QR lets go of its launch slot.
 */
import type { EngineSession } from '../engines/engine';
import { GatewayError } from '../protocol/errors';
import { withTimeout } from '../util/time-limit';
import type { SessionDeps } from './session-deps';

export class EngineSlot {
  private generation = 0;
  private engineSession?: EngineSession;
  private restartTimer?: NodeJS.Timeout;
  private firstSignal?: () => void;

  get engine(): EngineSession | undefined {
    return this.engineSession;
  }

  get current(): number {
    return this.generation;
  }

  isCurrent(generation: number): boolean {
    return generation === this.generation;
  }

  hold(engineSession: EngineSession): void {
    this.engineSession = engineSession;
  }

  /** Stops the engine session (if any) and ignores whatever it still reports. */
  async close(): Promise<void> {
    await this.detach()?.stop();
  }

  /** Lets go of the engine session: its later events are ignored. Returns it for closing. */
  detach(): EngineSession | undefined {
    const engineSession = this.engineSession;
    this.invalidate();
    this.engineSession = undefined;
    return engineSession;
  }

  /** Starts a new generation; a launch still waiting for its first QR lets go of its slot. */
  invalidate(): number {
    clearTimeout(this.restartTimer);
    this.firstSignal?.();
    this.firstSignal = undefined;
    this.generation += 1;
    return this.generation;
  }

  /** Holds a launch slot until the engine shows a QR or connects, or START_TIMEOUT_MS passes. */
  async bringUp(
    engineSession: EngineSession,
    generation: number,
    { storage, options }: Pick<SessionDeps, 'storage' | 'options'>,
  ): Promise<void> {
    if (!this.isCurrent(generation)) return;
    await storage.assertWritable();
    if (!this.isCurrent(generation)) return;
    const signal = this.firstSignalled();
    const launched = engineSession.start().then(() => signal);
    const { startTimeoutMs } = options;
    await withTimeout(
      Promise.race([signal, launched]),
      startTimeoutMs,
      () => new GatewayError('start_timeout', `no QR code or connection within ${startTimeoutMs} ms`),
    );
  }

  /** The engine showed a QR or a pairing code, or connected: the launch waiting for it goes on. */
  signalFirst(): void {
    this.firstSignal?.();
  }

  /** Resolves at the engine's first QR, pairing code or connection (signalFirst), or at the next generation. */
  private firstSignalled(): Promise<void> {
    return new Promise<void>((resolve) => (this.firstSignal = resolve));
  }

  /** Runs `launch` after `delayMs`, unless a new generation starts first. */
  launchAfter(delayMs: number, launch: () => void): void {
    this.restartTimer = setTimeout(launch, delayMs);
  }
}
