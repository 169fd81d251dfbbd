/**
 * What the sandbox has sent, kept in the session's folder as WhatsApp's servers keep a sent message:
 * one JSON line per message, written before the send is reported, so it survives the gateway dying
 * right after. It lets findSent confirm a send a crash interrupted, and tests count how many times a
 * message went out across restarts. It goes with the folder on logout.
 */
import { appendFileSync, closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { LocationPayload, MessageType, PollPayload } from '../../protocol/schemas';
import type { ContactCards } from '../capabilities/messaging';
import { readJsonLines } from './json-lines';

export const SENT_FILE = 'sandbox-sent.jsonl';

export interface SandboxSent {
  id: string;
  chatId: string;
  type: MessageType;
  /** The text of a text message, the caption of media, a poll's question, a location's name and address; absent otherwise. */
  text?: string;
  quotedMessageId?: string;
  /** Chat ids of the people mentioned. */
  mentions?: string[];
  location?: LocationPayload;
  poll?: PollPayload;
  contact?: ContactCards;
  /** Milliseconds since the epoch, as sendMessage answered it. */
  timestamp: number;
}

/**
 * The record of one session's folder. It stays open while the session runs, so that a send costs one
 * write instead of an open, a write and a close (a seventh of the gateway's time per send in the
 * request benchmark, docs/performance.md); once closed (the session stopped), each line opens it again.
 */
export class SentRecord {
  private fd: number | undefined;
  private closed = false;

  constructor(private readonly folder: string) {}

  /** Appends one line, synchronously: once this returns, the send is on record. */
  append(sent: SandboxSent): void {
    const line = `${JSON.stringify(sent)}\n`;
    const file = path.join(this.folder, SENT_FILE);
    if (this.closed) return appendFileSync(file, line);
    // A file deleted meanwhile (its folder removed) would take the line with it: open it again, or fail.
    if (this.fd !== undefined && fstatSync(this.fd).nlink === 0) this.closeFile();
    this.fd ??= openSync(file, 'a');
    const bytes = Buffer.from(line);
    for (let written = 0; written < bytes.length;) written += writeSync(this.fd, bytes, written);
  }

  close(): void {
    this.closed = true;
    this.closeFile();
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Every message the sandbox sent from this folder, oldest first; none when it has sent nothing. A line
 * cut short (the process died inside the write, before the send was reported) is not a send: skipped.
 */
export function readSandboxSent(folder: string): Promise<SandboxSent[]> {
  return readJsonLines<SandboxSent>(path.join(folder, SENT_FILE));
}
