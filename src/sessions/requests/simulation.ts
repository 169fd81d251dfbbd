/** sandbox_inject_message and the sandbox's other simulations (receiving, issue 14): only engines that simulate WhatsApp can. */
import { toChatId, toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestName, RequestPayload, RequestResult } from '../../protocol/events';
import type { Simulation } from '../../engines/capabilities/simulation';
import type { SessionManager } from '../session-manager';

export class SimulationRequests {
  constructor(private readonly manager: SessionManager) {}

  injectMessage(request: RequestPayload<'sandbox_inject_message'>): RequestResult<'sandbox_inject_message'> {
    const { sessionId, from, text, mentions, ...details } = request;
    const chatId = toChatId(from);
    const mentioned = mentions?.map((address) => toPublicAddress(toChatId(address)));
    const simulation = this.simulationOf(sessionId, 'sandbox_inject_message');
    return { sessionId, message: simulation.injectMessage(chatId, text, { ...details, ...(mentioned && { mentions: mentioned }) }) };
  }

  // ---- receiving (issue 14) ----

  injectOwnMessage({ sessionId, to, text }: RequestPayload<'sandbox_inject_own_message'>): RequestResult<'sandbox_inject_own_message'> {
    const chatId = toChatId(to);
    return { sessionId, message: this.simulationOf(sessionId, 'sandbox_inject_own_message').injectOwnMessage(chatId, text) };
  }

  editMessage({ sessionId, messageId, text }: RequestPayload<'sandbox_edit_message'>): RequestResult<'sandbox_edit_message'> {
    return { sessionId, ...this.simulationOf(sessionId, 'sandbox_edit_message').editMessage(messageId, text) };
  }

  revokeMessage({ sessionId, messageId }: RequestPayload<'sandbox_revoke_message'>): RequestResult<'sandbox_revoke_message'> {
    return { sessionId, ...this.simulationOf(sessionId, 'sandbox_revoke_message').revokeMessage(messageId) };
  }

  react({ sessionId, messageId, from, emoji }: RequestPayload<'sandbox_react'>): RequestResult<'sandbox_react'> {
    const chatId = toChatId(from);
    return { sessionId, ...this.simulationOf(sessionId, 'sandbox_react').react(messageId, chatId, emoji) };
  }

  vote({ sessionId, messageId, voter, selectedOptions }: RequestPayload<'sandbox_vote'>): RequestResult<'sandbox_vote'> {
    const chatId = toChatId(voter);
    return { sessionId, ...this.simulationOf(sessionId, 'sandbox_vote').vote(messageId, chatId, selectedOptions) };
  }

  call({ sessionId, from, isVideo }: RequestPayload<'sandbox_call'>): RequestResult<'sandbox_call'> {
    const chatId = toChatId(from);
    return { sessionId, ...this.simulationOf(sessionId, 'sandbox_call').call(chatId, isVideo) };
  }

  private simulationOf(sessionId: string, request: RequestName): Simulation {
    const { simulation } = this.manager.get(sessionId).connectedEngine();
    if (!simulation) throw new GatewayError('not_supported', `${request} works only with WA_ENGINE=sandbox`);
    return simulation;
  }
}
