/** Sandbox sends: acks server → device → read 50 ms apart, and an echo reply to people. */
import { isGroupId } from '../../protocol/chat-id';
import type { Messaging, OutgoingMessage, SentMessage } from '../capabilities/messaging';
import type { SandboxContext } from './sandbox-session';
import { incomingText } from './sandbox-world';

const ACK_STEP_MS = 50;

export class SandboxMessaging implements Messaging {
  private sent = 0;

  constructor(private readonly session: SandboxContext) {}

  async sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    // Read the media as the real engine does, so a file that cannot be read fails here too.
    if (message.type !== 'text') await message.media.load();
    this.sent += 1;
    const id = `true_${chatId}_SANDBOX${Date.now().toString(16).toUpperCase()}${this.sent}`;
    const { listener, options, account } = this.session;
    (['server', 'device', 'read'] as const).forEach((ack, step) =>
      this.session.later(ACK_STEP_MS * (step + 1), () => listener.onAck(id, ack)),
    );
    if (options.echo && !isGroupId(chatId)) {
      const text = message.type === 'text' ? `echo: ${message.text}` : `echo: ${message.type}`;
      this.session.later(options.replyMs, () => listener.onMessage(incomingText(chatId, account.phoneNumber, text)));
    }
    return { id, timestamp: Date.now() };
  }

  async setTyping(): Promise<void> {}

  async markRead(): Promise<void> {}
}
