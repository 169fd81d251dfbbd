/** sandbox_inject_message: only engines that simulate WhatsApp can. */
import { toChatId } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { SessionManager } from '../session-manager';

export class SimulationRequests {
  constructor(private readonly manager: SessionManager) {}

  injectMessage({ sessionId, from, text, media }: RequestPayload<'sandbox_inject_message'>): RequestResult<'sandbox_inject_message'> {
    const chatId = toChatId(from);
    const { simulation } = this.manager.get(sessionId).connectedEngine();
    if (!simulation) throw new GatewayError('not_supported', 'sandbox_inject_message works only with WA_ENGINE=sandbox');
    return { sessionId, message: simulation.injectMessage(chatId, text, media) };
  }
}
