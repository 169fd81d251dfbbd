/** sandbox_inject_message: a message as if someone had written. */
import type { IncomingMessage } from '../../protocol/schemas';
import type { Simulation } from '../capabilities/simulation';
import type { SandboxContext } from './sandbox-session';
import { incomingText } from './sandbox-world';

export class SandboxSimulation implements Simulation {
  constructor(private readonly session: SandboxContext) {}

  injectMessage(fromChatId: string, text: string): IncomingMessage {
    const message = incomingText(fromChatId, this.session.account.phoneNumber, text);
    this.session.deliver(message);
    return message;
  }
}
