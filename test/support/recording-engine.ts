/**
 * Wraps an engine and records every call the gateway makes to its sessions' message actions and
 * messaging (react, edit, delete, forward, presence, typing, sends), then makes it: a test can see
 * what reached the engine where the sandbox itself shows nothing (a reaction, a forward, presence).
 */
import type { EngineListener, EngineSession, LoginOptions } from '../../src/engines/engine';
import { WrappedEngine } from './wrapped-engine';

export interface EngineCall {
  sessionId: string;
  method: string;
  args: unknown[];
}

const RECORDED = ['messageActions', 'messaging'] as const;

export class RecordingEngine extends WrappedEngine {
  readonly calls: EngineCall[] = [];

  createSession(sessionId: string, listener: EngineListener, login?: LoginOptions): EngineSession {
    const session = this.inner.createSession(sessionId, listener, login);
    const recorded = new Map<string | symbol, object>(RECORDED.map((name) => [name, this.recorder(sessionId, session[name])]));
    return new Proxy(session, { get: (target, property) => recorded.get(property) ?? bound(target, property) });
  }

  /** The calls of `method`, as their arguments. */
  argsOf(method: string): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  private recorder<T extends object>(sessionId: string, capability: T): T {
    return new Proxy(capability, {
      get: (target, method) => {
        const value = bound(target, method);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          this.calls.push({ sessionId, method: String(method), args });
          return value(...args);
        };
      },
    });
  }
}

/** A property of `target`; a method bound to it, so that it runs on the real object behind the proxy. */
function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property);
  return typeof value === 'function' ? value.bind(target) : value;
}
