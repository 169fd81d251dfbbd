/**
 * Catch-up after downtime (issue 15) on the sandbox: the account's chats as the "phone" keeps them,
 * one JSON line per incoming message in the session's folder (`sandbox-inbox.jsonl`), the ones
 * delivered live and the ones that arrived while nothing ran (sandbox_queue_offline_message). After a
 * connect the catch-up reads it as the real engine reads WhatsApp Web's chats: it holds what was
 * delivered before too, and the session layer leaves those out. It goes with the folder on logout.
 * A message is written, synchronously, before the listener gets it: a gateway that dies before
 * committing it finds it at the next connect. The file stays open while the session runs, as the sent
 * record does (json-lines.ts).
 */
import path from 'node:path';
import { GatewayError } from '../../protocol/errors';
import type { IncomingMessage } from '../../protocol/schemas';
import type { SessionStorage } from '../../storage/session-storage';
import type { CatchUpQuery, CatchUpReader, OfflineArrivals } from '../capabilities/catch-up';
import { appendJsonLine, JsonLinesFile, readJsonLines } from './json-lines';
import { incomingText, sandboxPhoneNumber } from './sandbox-world';

export const INBOX_FILE = 'sandbox-inbox.jsonl';

export class SandboxInbox implements CatchUpReader {
  private readonly inbox: JsonLinesFile<IncomingMessage>;

  constructor(folder: string) {
    this.inbox = new JsonLinesFile(path.join(folder, INBOX_FILE));
  }

  /** Appends one message, synchronously: once this returns, it is in the chats. Throws when it cannot be written. */
  keep(message: IncomingMessage): void {
    this.inbox.append(message);
  }

  /** The session stopped: nothing keeps the inbox open. */
  close(): void {
    this.inbox.close();
  }

  async recentIncoming({ since, limit }: CatchUpQuery): Promise<IncomingMessage[]> {
    const recent = (await readJsonLines<IncomingMessage>(this.inbox.file)).filter(
      (message) => !message.fromMe && message.timestamp >= since,
    );
    return recent.sort((a, b) => a.timestamp - b.timestamp).slice(-limit);
  }
}

export class SandboxOfflineArrivals implements OfflineArrivals {
  constructor(private readonly storage: SessionStorage) {}

  async queue(sessionId: string, fromChatId: string, text: string, ageMs: number): Promise<IncomingMessage> {
    if (!(await this.storage.has(sessionId))) {
      throw new GatewayError('session_not_found', `no stored session "${sessionId}": start it once so the account exists`);
    }
    const phoneNumber = sandboxPhoneNumber(sessionId);
    const message = { ...incomingText(fromChatId, phoneNumber, text), timestamp: Date.now() - ageMs };
    appendJsonLine(path.join(this.storage.folderOf(sessionId), INBOX_FILE), message);
    return message;
  }
}
