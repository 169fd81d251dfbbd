/**
 * WA_ENGINE=sandbox: a WhatsApp stand-in for building bots without a phone
 * and for this project's tests and benchmarks. Its behaviour is part of the
 * documented API (docs/sandbox.md): it pairs by itself, echoes what it is
 * sent, and treats numbers ending in 000 as not on WhatsApp.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isGroupId, toPublicAddress } from '../../protocol/chat-id';
import type { IncomingMessage, ProfileInfo } from '../../protocol/schemas';
import type { AccountInfo, Engine, EngineListener, EngineSession, NumberLookup, OutgoingMessage, SentMessage } from '../engine';
import { GatewayError } from '../../protocol/errors';
import type { SessionStorage } from '../../storage/session-storage';

export interface SandboxOptions {
  storage: SessionStorage;
  /** Time from the first QR to the simulated scan; 0 pairs right after the first QR. */
  scanMs: number;
  replyMs: number;
  echo: boolean;
  qrRefreshMs: number;
}

const PAIRING_FILE = 'sandbox-pairing.json';
const ACK_STEP_MS = 50;

export class SandboxEngine implements Engine {
  readonly name = 'sandbox' as const;

  constructor(private readonly options: SandboxOptions) {}

  assertCanStart(): void {}

  createSession(sessionId: string, listener: EngineListener): EngineSession {
    return new SandboxSession(sessionId, listener, this.options);
  }
}

/** The sandbox phone number of a session: 1555 and 7 digits derived from its id. */
export function sandboxPhoneNumber(sessionId: string): string {
  const digits = createHash('sha256').update(sessionId).digest().readUInt32BE(0) % 10_000_000;
  return `1555${String(digits).padStart(7, '0')}`;
}

export function isSandboxRegistered(chatId: string): boolean {
  return isGroupId(chatId) || !chatId.split('@')[0]!.endsWith('000');
}

class SandboxSession implements EngineSession {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** The launch under way (never rejects): stop() waits for it, so its folder cannot reappear after a logout. */
  private busy: Promise<unknown> = Promise.resolve();
  private readonly folder: string;
  private readonly account: AccountInfo;
  private sent = 0;

  constructor(
    private readonly sessionId: string,
    private readonly listener: EngineListener,
    private readonly options: SandboxOptions,
  ) {
    this.folder = options.storage.folderOf(sessionId);
    this.account = { phoneNumber: sandboxPhoneNumber(sessionId), pushname: `Sandbox ${sessionId}` };
  }

  start(): Promise<void> {
    const started = this.launch();
    this.busy = started.catch(() => undefined);
    return started;
  }

  /** Nothing of this session is scheduled after it, nor created once it has resolved. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    await this.busy;
  }

  async logout(): Promise<void> {
    await this.stop();
    await this.options.storage.remove(this.sessionId);
  }

  async sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    // Read the media as the real engine does, so a file that cannot be read fails here too.
    await message.media?.load();
    this.sent += 1;
    const id = `true_${chatId}_SANDBOX${Date.now().toString(16).toUpperCase()}${this.sent}`;
    (['server', 'device', 'read'] as const).forEach((ack, step) =>
      this.later(ACK_STEP_MS * (step + 1), () => this.listener.onAck(id, ack)),
    );
    if (this.options.echo && !isGroupId(chatId)) {
      const text = message.type === 'text' ? `echo: ${message.text ?? ''}` : `echo: ${message.type}`;
      this.later(this.options.replyMs, () => this.listener.onMessage(this.incoming(chatId, text)));
    }
    return { id, timestamp: Date.now() };
  }

  async lookupNumber(chatId: string): Promise<NumberLookup | null> {
    return isSandboxRegistered(chatId) ? { id: chatId } : null;
  }

  async getProfile(chatId: string): Promise<ProfileInfo> {
    const name = `Contact ${chatId.split('@')[0]!.slice(-4)}`;
    return { jid: chatId, name, pushname: name, about: 'Hey there! I am using WhatsApp.', profilePicUrl: null, isBusiness: false };
  }

  async setTyping(): Promise<void> {}

  async markRead(): Promise<void> {}

  injectMessage(fromChatId: string, text: string): IncomingMessage {
    const message = this.incoming(fromChatId, text);
    this.listener.onMessage(message);
    return message;
  }

  private async launch(): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new GatewayError('storage_failed', `the stored-login folder could not be created (${error.code})`);
    });
    const paired = await fs.stat(path.join(this.folder, PAIRING_FILE)).then(
      () => true,
      () => false,
    );
    if (paired) this.later(0, () => this.listener.onConnected(this.account));
    else this.showQrUntilScanned();
  }

  private showQrUntilScanned(): void {
    const showQr = () => this.listener.onQr(`2@${randomBytes(48).toString('base64')},${randomBytes(32).toString('base64')},sandbox`);
    const refresh = () => {
      showQr();
      this.later(this.options.qrRefreshMs, refresh);
    };
    this.later(0, refresh);
    this.later(this.options.scanMs, () => void this.pair());
  }

  /**
   * Like WhatsApp Web in Chromium, pairs whether or not the login could be saved; the session's
   * storage check when it connects reports a disk that cannot take it (storage_failed).
   */
  private async pair(): Promise<void> {
    this.clearTimers();
    // A write that fails (a full disk) still pairs, like Chromium; the session's storage check reports it.
    const record = JSON.stringify({ pairedAt: new Date().toISOString() });
    await fs.writeFile(path.join(this.folder, PAIRING_FILE), record).catch(() => undefined);
    if (!this.stopped) this.listener.onConnected(this.account);
  }

  private incoming(chatId: string, text: string): IncomingMessage {
    const id = `SANDBOX${randomBytes(8).toString('hex').toUpperCase()}`;
    const from = toPublicAddress(chatId);
    return {
      id: `false_${chatId}_${id}`,
      key: { remoteJid: chatId, id, fromMe: false },
      from,
      to: this.account.phoneNumber,
      chatId,
      text,
      type: 'text',
      isGroup: isGroupId(chatId),
      pushname: `Contact ${from.slice(-4)}`,
      timestamp: Date.now(),
      hasMedia: false,
    };
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** A timer that stop() cancels; none is set once stopped. */
  private later(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
