/** Incoming traffic on demand: only engines that simulate WhatsApp (the sandbox) have it. */
import type { IncomingMessage } from '../../protocol/schemas';

export interface Simulation {
  /** Delivers a message as if `fromChatId` had written it, and answers it. */
  injectMessage(fromChatId: string, text: string): IncomingMessage;
}
