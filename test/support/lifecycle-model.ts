/**
 * Concurrent lifecycle requests, checked against what the same requests would do one after another in
 * the order they were sent. Requests sent over one connection arrive in that order; a test that uses
 * several connections gives each its own session id (and a key scoped to it, so that
 * `load_sessions_from_storage` touches only that id).
 *
 * Whether a stored login exists is not always known: a session stopped before its engine ever started
 * never wrote one. Such a state is `maybe` until an answer (status, logout, load) settles it.
 */
import type { GatewayClient } from '../../src/client/gateway-client';
import type { ErrorCode } from '../../src/protocol/errors';

export const LIFECYCLE_OPS = ['start', 'stop', 'logout', 'load', 'status'] as const;
export type LifecycleOp = (typeof LIFECYCLE_OPS)[number];

type Outcome = { ok: true; data: unknown } | { ok: false; code: ErrorCode | 'timeout' };

const RUNNING_STATUSES = ['starting', 'qr', 'connected'];

export interface LifecycleRequest {
  op: LifecycleOp;
  sessionId: string;
}

/** A small seeded generator, so a failing sequence can be replayed. */
export function randomRequests(
  count: number,
  seed: number,
  sessionIds: readonly string[],
  weights: Record<LifecycleOp, number>,
): LifecycleRequest[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const total = LIFECYCLE_OPS.reduce((sum, op) => sum + weights[op], 0);
  return Array.from({ length: count }, () => {
    let pick = next() * total;
    const op = LIFECYCLE_OPS.find((candidate) => (pick -= weights[candidate]) < 0) ?? 'status';
    return { op, sessionId: sessionIds[Math.floor(next() * sessionIds.length)]! };
  });
}

/** Sends every request at once (none waits for an answer) and resolves with the answers in sending order. */
export function sendAll(client: GatewayClient, requests: readonly LifecycleRequest[]): Promise<Outcome[]> {
  const request = ({ op, sessionId }: LifecycleRequest): Promise<unknown> => {
    switch (op) {
      case 'start':
        return client.startSession(sessionId);
      case 'stop':
        return client.stopSession(sessionId);
      case 'logout':
        return client.logoutSession(sessionId);
      case 'load':
        return client.loadSessionsFromStorage();
      case 'status':
        return client.getSessionStatus(sessionId);
    }
  };
  return Promise.all(
    requests.map((sent) =>
      request(sent).then(
        (data): Outcome => ({ ok: true, data }),
        (error: { code: ErrorCode }): Outcome => ({ ok: false, code: error.code }),
      ),
    ),
  );
}

/**
 * Replays the answers in order against one model per session id (a load concerns them all); returns
 * every answer the sequential order could not have given.
 */
export function replay(models: readonly LifecycleModel[], requests: readonly LifecycleRequest[], outcomes: readonly Outcome[]): string[] {
  return requests.flatMap(({ op, sessionId }, index) =>
    models
      .filter((model) => op === 'load' || model.sessionId === sessionId)
      .flatMap((model) => {
        const problem = model.apply(op, outcomes[index]!);
        return problem ? [`#${index} ${op} ${model.sessionId}: ${problem} (got ${JSON.stringify(outcomes[index])})`] : [];
      }),
  );
}

export class LifecycleModel {
  running = false;
  stored: boolean | 'maybe';

  constructor(
    readonly sessionId: string,
    initial: { running: boolean; stored: boolean },
  ) {
    this.running = initial.running;
    this.stored = initial.stored;
  }

  apply(op: LifecycleOp, outcome: Outcome): string | null {
    switch (op) {
      case 'start':
        return this.start(outcome);
      case 'stop':
        return this.stop(outcome);
      case 'logout':
        return this.logout(outcome);
      case 'load':
        return this.load(outcome);
      case 'status':
        return this.status(outcome);
    }
  }

  private start(outcome: Outcome): string | null {
    if (!outcome.ok) return 'should start';
    const status = (outcome.data as { status: string }).status;
    const wasRunning = this.running;
    this.running = true;
    // A start writes the stored login only once its engine starts, which a quick stop may prevent.
    if (!wasRunning && this.stored !== true) this.stored = 'maybe';
    if (!wasRunning && status !== 'starting') return 'a new start answers starting';
    return RUNNING_STATUSES.includes(status) ? null : `status ${status} of a running session`;
  }

  private stop(outcome: Outcome): string | null {
    if (!this.running) return outcome.ok ? 'nothing runs to stop' : this.expectCode(outcome, 'session_not_found');
    this.running = false;
    return outcome.ok ? null : 'should stop';
  }

  private logout(outcome: Outcome): string | null {
    const wasRunning = this.running;
    const stored = this.stored;
    this.running = false;
    this.stored = false;
    if (wasRunning || stored === true) return outcome.ok ? null : 'should log out';
    if (stored === false) return outcome.ok ? 'nothing to log out' : this.expectCode(outcome, 'session_not_found');
    return outcome.ok ? null : this.expectCode(outcome, 'session_not_found');
  }

  private load(outcome: Outcome): string | null {
    if (!outcome.ok) return 'should load';
    const { loaded, alreadyActive } = outcome.data as { loaded: string[]; alreadyActive: string[] };
    const wasLoaded = loaded.includes(this.sessionId);
    if (this.running) return wasLoaded ? 'loaded a running session' : null;
    if (alreadyActive.includes(this.sessionId)) return 'listed as already active, but it does not run';
    if (this.stored !== 'maybe' && wasLoaded !== this.stored)
      return wasLoaded ? 'loaded a login that is not stored' : 'left a stored login';
    this.stored = wasLoaded ? true : false;
    this.running = wasLoaded;
    return null;
  }

  private status(outcome: Outcome): string | null {
    if (!outcome.ok) return 'status should answer';
    const { status } = outcome.data as { status: string };
    if (this.running) return RUNNING_STATUSES.includes(status) ? null : `status ${status} of a running session`;
    if (status !== 'stopped' && status !== 'not_found') return `status ${status} of a session that does not run`;
    const stored = status === 'stopped';
    if (this.stored !== 'maybe' && stored !== this.stored) return `status ${status}, but stored=${String(this.stored)}`;
    this.stored = stored;
    return null;
  }

  private expectCode(outcome: Outcome, code: ErrorCode): string | null {
    return !outcome.ok && outcome.code === code ? null : `should fail with ${code}`;
  }
}
