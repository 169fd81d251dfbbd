/** An engine that hands everything to another; a test's subclass wraps the sessions it creates. */
import type { Engine, EngineListener, EngineSession, LoginOptions } from '../../src/engines/engine';

export abstract class WrappedEngine implements Engine {
  readonly name: Engine['name'];

  constructor(protected readonly inner: Engine) {
    this.name = inner.name;
  }

  assertCanStart(): void {
    this.inner.assertCanStart();
  }

  abstract createSession(sessionId: string, listener: EngineListener, login?: LoginOptions): EngineSession;
}
