/**
 * One sandbox account: pairing (QR and simulated scan, or pairing code and simulated entry; stored
 * pairing), and timers that stop() cancels (the acks' one among them).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../../protocol/errors';
import type { IncomingMessage } from '../../protocol/schemas';
import type { SessionStorage } from '../../storage/session-storage';
import type { CatchUpReader } from '../capabilities/catch-up';
import type { AccountInfo, EngineListener, EngineSession, LoginOptions } from '../engine';
import { SandboxAccount } from './account';
import { SandboxAcks } from './acks';
import { SandboxCalling } from './calling';
import { SandboxChats } from './chats';
import { SandboxGroupInvites } from './group-invites';
import { SandboxGroupState } from './group-state';
import { SandboxContactBook, SandboxContacts } from './contacts';
import { SandboxGroups } from './groups';
import { knownFrom, SandboxHistory } from './history';
import { SandboxInbox } from './inbox';
import { SandboxMedia } from './media';
import { SandboxMessageActions } from './message-actions';
import { SandboxMessaging } from './messaging';
import { sandboxPairingCode, sandboxPhoneNumber } from './sandbox-world';
import { SandboxSimulation } from './simulation';
import { isErrnoException } from '../../util/errno';

export interface SandboxOptions {
  storage: SessionStorage;
  /** Time from the first QR (or pairing code) to the simulated scan (or entry); 0 pairs right after the first one. */
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
  /** The acks of sent messages, on one timer; stop() cancels them. */
  readonly acks: SandboxAcks;
  /** The session's recent messages, for simulated edits, reactions, votes and replies. */
  readonly history: SandboxHistory;
  readonly calling: SandboxCalling;
  /** Hands an incoming message to the listener, and remembers it (message-actions.ts, history.ts). */
  deliver(message: IncomingMessage): void;
  /** Ids of the messages delivered in this run. */
  readonly delivered: ReadonlySet<string>;
  /** The session's groups (issue 15), for this run. */
  readonly groupState: SandboxGroupState;
}

const PAIRING_FILE = 'sandbox-pairing.json';

interface PairingRecord {
  pairedAt: string;
  /** The number a pairing code linked; absent for a QR pairing (the account has the session's sandbox number). */
  phoneNumber?: string;
}

export class SandboxSession implements EngineSession, SandboxContext {
  /** The number and name it connects with, and its own profile (issue 15). */
  readonly account: SandboxAccount;
  readonly messaging: SandboxMessaging;
  readonly contacts = new SandboxContacts();
  readonly contactBook: SandboxContactBook;
  readonly media = new SandboxMedia();
  readonly simulation: SandboxSimulation;
  readonly history = new SandboxHistory();
  readonly calling = new SandboxCalling();
  readonly messageActions: SandboxMessageActions;
  readonly chats = new SandboxChats(this);
  readonly delivered = new Set<string>();
  readonly groupState: SandboxGroupState;
  readonly groupInvites: SandboxGroupInvites;
  readonly groupInviteSimulation: SandboxGroupInvites;
  readonly groups: SandboxGroups;
  readonly groupSimulation: SandboxGroups;
  readonly acks: SandboxAcks;
  /** The phone's copy of the chats (inbox.ts): written as messages are delivered, read by the catch-up. */
  private readonly inbox: SandboxInbox;
  readonly catchUp: CatchUpReader;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** The launch under way (never rejects): stop() waits for it, so its folder cannot reappear after a logout. */
  private busy: Promise<unknown> = Promise.resolve();
  readonly folder: string;

  constructor(
    private readonly sessionId: string,
    readonly listener: EngineListener,
    readonly options: SandboxOptions,
    private readonly login: LoginOptions = {},
  ) {
    this.folder = options.storage.folderOf(sessionId);
    this.groupState = new SandboxGroupState(sessionId);
    this.account = new SandboxAccount(sessionId, sandboxPhoneNumber(sessionId), `Sandbox ${sessionId}`);
    this.contactBook = new SandboxContactBook(this);
    this.acks = new SandboxAcks((messageId, ack) => listener.onAck(messageId, ack));
    this.messaging = new SandboxMessaging(this);
    this.simulation = new SandboxSimulation(this, this.media);
    this.messageActions = new SandboxMessageActions(this);
    this.groupInvites = this.groupInviteSimulation = new SandboxGroupInvites(this);
    this.catchUp = this.inbox = new SandboxInbox(this.folder);
    this.groups = this.groupSimulation = new SandboxGroups(this);
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
    this.acks.stop();
    await this.busy;
    this.messaging.close();
    this.inbox.close();
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

  deliver(message: IncomingMessage): void {
    this.delivered.add(message.id);
    try {
      this.inbox.keep(message);
    } catch {
      // A full disk costs the phone's copy (catch-up after a restart), not the live message.
    }
    this.history.remember(knownFrom(message));
    this.listener.onMessage(message);
  }

  private async launch(): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true }).catch((error: unknown) => {
      throw new GatewayError(
        'storage_failed',
        `the stored-login folder could not be created (${isErrnoException(error) ? error.code : String(error)})`,
      );
    });
    const paired = await this.storedPairing();
    if (paired) {
      this.account.phoneNumber = paired.phoneNumber ?? this.account.phoneNumber;
      this.later(0, () => this.listener.onConnected(this.account.info()));
    } else if (this.login.pairWithPhoneNumber) {
      this.showCodeUntilEntered(this.login.pairWithPhoneNumber);
    } else {
      this.showQrUntilScanned();
    }
  }

  /** The stored pairing; one without a readable number (a QR pairing, a write a full disk cut short) keeps the sandbox number. */
  private async storedPairing(): Promise<Partial<PairingRecord> | undefined> {
    const text = await fs.readFile(path.join(this.folder, PAIRING_FILE), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const record: unknown = JSON.parse(text);
      const phoneNumber = typeof record === 'object' && record && 'phoneNumber' in record ? record.phoneNumber : undefined;
      return typeof phoneNumber === 'string' ? { phoneNumber } : {};
    } catch {
      return {};
    }
  }

  /** Like the QR: a new code every qrRefreshMs, and the "phone" enters the current one after scanMs. */
  private showCodeUntilEntered(phoneNumber: string): void {
    let attempt = 0;
    const refresh = () => {
      attempt += 1;
      this.listener.onPairingCode(sandboxPairingCode(this.sessionId, phoneNumber, attempt));
      this.later(this.options.qrRefreshMs, refresh);
    };
    this.later(0, refresh);
    this.later(this.options.scanMs, () => void this.pair(phoneNumber));
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
  private async pair(pairedNumber?: string): Promise<void> {
    this.clearTimers();
    if (pairedNumber) this.account.phoneNumber = pairedNumber;
    const pairing: PairingRecord = { pairedAt: new Date().toISOString(), ...(pairedNumber && { phoneNumber: pairedNumber }) };
    const record = JSON.stringify(pairing);
    await fs.writeFile(path.join(this.folder, PAIRING_FILE), record).catch(() => undefined);
    if (!this.stopped) this.listener.onConnected(this.account.info());
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
