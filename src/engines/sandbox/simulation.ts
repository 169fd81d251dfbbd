/** sandbox_inject_message: a message as if someone had written. */
import type { IncomingMessage } from '../../protocol/schemas';
import type { InjectedMedia, Simulation } from '../capabilities/simulation';
import { SANDBOX_MEDIA_DEFAULT_BYTES, type SandboxMedia } from './media';
import type { SandboxContext } from './sandbox-session';
import { incomingText } from './sandbox-world';

export class SandboxSimulation implements Simulation {
  constructor(
    private readonly session: SandboxContext,
    private readonly media: SandboxMedia,
  ) {}

  injectMessage(fromChatId: string, text: string, media?: InjectedMedia): IncomingMessage {
    const message = incomingText(fromChatId, this.session.account.phoneNumber, text);
    if (media) {
      this.media.remember(message.id, { type: media.type, size: media.size ?? SANDBOX_MEDIA_DEFAULT_BYTES });
      Object.assign(message, { type: media.type, hasMedia: true });
    }
    this.session.deliver(message);
    return message;
  }
}
