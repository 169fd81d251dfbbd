/**
 * Every call into whatsapp-web.js and its page goes through here: time-limited (the library has no
 * limits of its own) and rejecting with a GatewayError, so nothing the engine awaits can hang.
 */
import { GatewayError, toGatewayError } from '../../protocol/errors';
import { withTimeout } from '../../util/time-limit';
import type { ClientLike } from './client';
import { runScript, type PageScript } from './page-scripts';

interface CallLimits {
  sendMs: number;
  /** Every other call (lookups, typing, read receipts, page probes). */
  callMs: number;
}

/** A call that timed out: it may still be running in the page. */
export class CallTimeout extends GatewayError {
  constructor(what: string, ms: number) {
    super('engine_error', `WhatsApp Web did not answer the ${what} within ${ms} ms`);
  }
}

export class ClientCalls {
  constructor(
    /** The client, or a GatewayError when the session cannot take calls (not started, ending). */
    private readonly usableClient: () => ClientLike,
    readonly limits: CallLimits,
  ) {}

  run<T>(what: string, run: (client: ClientLike) => Promise<T>, ms = this.limits.callMs): Promise<T> {
    return limit(what, ms, () => run(this.usableClient()));
  }

  script<A, R>(what: string, script: PageScript<A, R>, arg: A, ms = this.limits.callMs): Promise<R> {
    return this.run(
      what,
      (client) => {
        if (!client.pupPage) throw new GatewayError('session_not_connected', 'WhatsApp Web is not open yet');
        return runScript(client.pupPage, script, arg);
      },
      ms,
    );
  }
}

/** Runs `begin()` within `ms`; its failure, or the timeout, as a GatewayError. */
export async function limit<T>(what: string, ms: number, begin: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(begin(), ms, () => new CallTimeout(what, ms));
  } catch (error) {
    throw toGatewayError(error);
  }
}
