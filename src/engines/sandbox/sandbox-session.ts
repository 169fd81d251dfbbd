/** One sandbox account: pairing (QR, simulated scan, stored pairing), and timers that stop() cancels. */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../protocol/errors';
import type { SessionStorage } from '../../storage/session-storage';
import type { AccountInfo, EngineListener, EngineSession } from '../engine';
import { SandboxCalling } from './calling';
import { SandboxContacts } from './contacts';
import { SandboxHistory } from './history';
import { SandboxMessaging } from './messaging';
import { sandboxPhoneNumber } from './sandbox-world';
import { SandboxSimulation } from './simulation';
import { isErrnoException } from '../../util/errno';

export interface SandboxOptions {
  storage: SessionStorage;
  /** Time from the first QR to the simulated scan; 0 pairs right after the first QR. */
  scanMs: number;
  replyMs: number;
  echo: boolean;
  qrRefreshMs: number;
}

/** What the capabilities of a sandbox session share with it. */
export interface SandboxContext {
  readonly listener: EngineListener;
  readonly options: SandboxOptions;
  readonly account: AccountInfo;
  /** The session's stored-login folder; it exists once start() resolved. */
  readonly folder: string;
  /** Runs `run` after `ms`, unless the session stops first. */
  later(ms: number, run: () => void): void;
  /** The session's recent messages, for simulated edits, reactions, votes and replies. */
  readonly history: SandboxHistory;
  readonly calling: SandboxCalling;
}

const PAIRING_FILE = 'sandbox-pairing.json';

export class SandboxSession implements EngineSession, SandboxContext {
  readonly account: AccountInfo;
  readonly messaging: SandboxMessaging;
  readonly contacts = new SandboxContacts();
  readonly simulation: SandboxSimulation;
  readonly history = new SandboxHistory();
  readonly calling = new SandboxCalling();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** The launch under way (never rejects): stop() waits for it, so its folder cannot reappear after a logout. */
  private busy: Promise<unknown> = Promise.resolve();
  readonly folder: string;

  constructor(
    private readonly sessionId: string,
    readonly listener: EngineListener,
    readonly options: SandboxOptions,
  ) {
    this.folder = options.storage.folderOf(sessionId);
    this.account = { phoneNumber: sandboxPhoneNumber(sessionId), pushname: `Sandbox ${sessionId}` };
    this.messaging = new SandboxMessaging(this);
    this.simulation = new SandboxSimulation(this);
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

  /** A timer that stop() cancels; none is set once stopped. */
  later(ms: number, run: () => void): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private async launch(): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true }).catch((error: unknown) => {
      throw new GatewayError(
        'storage_failed',
        `the stored-login folder could not be created (${isErrnoException(error) ? error.code : String(error)})`,
      );
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
   * Like WhatsApp Web in Chromium, pairs whether or not the login could be saved (a full disk); the
   * session's storage check when it connects reports a disk that cannot take it (storage_failed).
   */
  private async pair(): Promise<void> {
    this.clearTimers();
    const record = JSON.stringify({ pairedAt: new Date().toISOString() });
    await fs.writeFile(path.join(this.folder, PAIRING_FILE), record).catch(() => undefined);
    if (!this.stopped) this.listener.onConnected(this.account);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
