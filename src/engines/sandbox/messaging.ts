/**
 * Sandbox sends: on record in the session's folder before they are reported (sent-record.ts), acks
 * server → device → read 50 ms apart (acks.ts), and an echo reply to people.
 */
import { isGroupId } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import { isErrnoException } from '../../util/errno';
import { locationText, type Messaging, type OutgoingMessage, type SentMessage, type SentProbe } from '../capabilities/messaging';
import type { SandboxContext } from './sandbox-session';
import { incomingText, ownText } from './sandbox-world';
import { readSandboxSent, SentRecord, type SandboxSent } from './sent-record';

export class SandboxMessaging implements Messaging {
  private sent = 0;

  private readonly sentRecord: SentRecord;

  constructor(private readonly session: SandboxContext) {
    this.sentRecord = new SentRecord(session.folder);
  }

  async sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    // Read the media as the real engine does, so a file that cannot be read fails here too.
    if ('media' in message) await message.media.load();
    this.sent += 1;
    const timestamp = Date.now();
    const id = `true_${chatId}_SANDBOX${timestamp.toString(16).toUpperCase()}${this.sent}`;
    this.record({ id, chatId, type: message.type, timestamp, ...textOf(message), ...contentOf(message) });
    const { options, account, history } = this.session;
    const text = textOf(message).text ?? '';
    const keyId = id.split('_').slice(2).join('_');
    const shown = { ...ownText(chatId, account.phoneNumber, text, keyId), id, type: message.type, timestamp, hasMedia: 'media' in message };
    history.remember({ id, chatId, from: account.phoneNumber, text, type: message.type, message: shown });
    this.session.acks.schedule(id);
    if (options.echo && !isGroupId(chatId)) {
      const echo = message.type === 'text' ? `echo: ${message.text}` : `echo: ${message.type}`;
      this.session.later(options.replyMs, () => this.session.deliver(incomingText(chatId, account.phoneNumber, echo)));
    }
    return { id, timestamp };
  }

  /** The session stopped: nothing keeps its record open. */
  close(): void {
    this.sentRecord.close();
  }

  /** From the record, which outlives the process: a restarted gateway finds what the last one sent. */
  async findSent(chatId: string, probe: SentProbe): Promise<SentMessage | undefined> {
    const sinceSecond = Math.floor(probe.since / 1000);
    const found = (await readSandboxSent(this.session.folder)).find(
      (sent) =>
        sent.chatId === chatId &&
        sent.type === probe.type &&
        (sent.text ?? '') === (probe.text ?? '') &&
        Math.floor(sent.timestamp / 1000) >= sinceSecond,
    );
    return found && { id: found.id, timestamp: found.timestamp };
  }

  /** A send that cannot be put on record did not reach "WhatsApp": it fails, and nothing follows it. */
  private record(sent: SandboxSent): void {
    try {
      this.sentRecord.append(sent);
    } catch (error) {
      const reason = isErrnoException(error) ? error.code : String(error);
      throw new GatewayError('engine_error', `the sandbox could not record the message (${reason}); it was not sent`);
    }
  }

  async setTyping(): Promise<void> {}

  async markRead(): Promise<void> {}
}

/** What findSent matches besides the type, as the real engine does (SentProbe.text). */
function textOf(message: OutgoingMessage): { text?: string } {
  const text = shownText(message);
  return text === undefined ? {} : { text };
}

function shownText(message: OutgoingMessage): string | undefined {
  switch (message.type) {
    case 'text':
      return message.text;
    case 'poll':
      return message.poll.question;
    case 'location':
      return locationText(message.location);
    case 'contact':
      return undefined;
    default:
      return message.caption;
  }
}

/** The rest of what was sent, for the record. */
function contentOf(message: OutgoingMessage): Omit<SandboxSent, 'id' | 'chatId' | 'type' | 'timestamp' | 'text'> {
  return {
    ...(message.quotedMessageId !== undefined && { quotedMessageId: message.quotedMessageId }),
    ...(message.mentions && { mentions: message.mentions }),
    ...(message.type === 'location' && { location: message.location }),
    ...(message.type === 'poll' && { poll: message.poll }),
    ...(message.type === 'contact' && { contact: message.cards }),
  };
}
