/**
 * Catch-up after downtime (issue 15) on the sandbox: the account's chats as the "phone" keeps them,
 * one JSON line per incoming message in the session's folder (`sandbox-inbox.jsonl`), the ones
 * delivered live and the ones that arrived while nothing ran (sandbox_queue_offline_message). After a
 * connect the catch-up reads it as the real engine reads WhatsApp Web's chats: it holds what was
 * delivered before too, and the session layer leaves those out. It goes with the folder on logout.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../protocol/errors';
import type { IncomingMessage } from '../../protocol/schemas';
import type { SessionStorage } from '../../storage/session-storage';
import type { CatchUpQuery, CatchUpReader, OfflineArrivals } from '../capabilities/catch-up';
import { readJsonLines } from './json-lines';
import { incomingText, sandboxPhoneNumber } from './sandbox-world';

export const INBOX_FILE = 'sandbox-inbox.jsonl';

/** Appends one message, synchronously: once this returns, it is in the chats. */
export function keepInInbox(folder: string, message: IncomingMessage): void {
  appendFileSync(path.join(folder, INBOX_FILE), `${JSON.stringify(message)}\n`);
}

export class SandboxInbox implements CatchUpReader {
  constructor(private readonly folder: string) {}

  async recentIncoming({ since, limit }: CatchUpQuery): Promise<IncomingMessage[]> {
    const recent = (await readJsonLines<IncomingMessage>(path.join(this.folder, INBOX_FILE))).filter(
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
    keepInInbox(this.storage.folderOf(sessionId), message);
    return message;
  }
}
