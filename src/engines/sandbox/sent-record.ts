/**
 * What the sandbox has sent, kept in the session's folder as WhatsApp's servers keep a sent message:
 * one JSON line per message, written before the send is reported, so it survives the gateway dying
 * right after. It lets findSent confirm a send a crash interrupted, and tests count how many times a
 * message went out across restarts. It goes with the folder on logout.
 */
import path from 'node:path';
import type { LocationPayload, MessageType, PollPayload } from '../../protocol/schemas';
import type { ContactCards } from '../capabilities/messaging';
import { JsonLinesFile, readJsonLines } from './json-lines';

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

/** The record of one session's folder, open while the session runs (json-lines.ts). */
export class SentRecord extends JsonLinesFile<SandboxSent> {
  constructor(folder: string) {
    super(path.join(folder, SENT_FILE));
  }
}

/**
 * Every message the sandbox sent from this folder, oldest first; none when it has sent nothing. A line
 * cut short (the process died inside the write, before the send was reported) is not a send: skipped.
 */
export function readSandboxSent(folder: string): Promise<SandboxSent[]> {
  return readJsonLines<SandboxSent>(path.join(folder, SENT_FILE));
}
