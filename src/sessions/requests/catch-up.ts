/** sandbox_queue_offline_message (issue 15): a message for a session that is not running, backfilled at its next connect. */
import { toChatId } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { Engine } from '../../engines/engine';

export class CatchUpRequests {
  constructor(private readonly engine: Engine) {}

  async queueOfflineMessage({
    sessionId,
    from,
    text,
    ageMs,
  }: RequestPayload<'sandbox_queue_offline_message'>): Promise<RequestResult<'sandbox_queue_offline_message'>> {
    const arrivals = this.engine.offlineArrivals;
    if (!arrivals) throw new GatewayError('not_supported', 'sandbox_queue_offline_message works only with WA_ENGINE=sandbox');
    return { sessionId, message: await arrivals.queue(sessionId, toChatId(from), text, ageMs) };
  }
}
