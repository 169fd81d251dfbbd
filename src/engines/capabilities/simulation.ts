/** Incoming traffic on demand: only engines that simulate WhatsApp (the sandbox) have it. */
import type { IncomingMessage, SANDBOX_MEDIA_TYPES } from '../../protocol/schemas';

/** A made-up file for an injected message to carry. */
export interface InjectedMedia {
  type: (typeof SANDBOX_MEDIA_TYPES)[number];
  size?: number;
}

export interface Simulation {
  /** Delivers a message as if `fromChatId` had written it (with `media`, a media message captioned `text`), and answers it. */
  injectMessage(fromChatId: string, text: string, media?: InjectedMedia): IncomingMessage;
}
