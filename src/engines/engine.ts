/**
 * The port between the gateway and whatever drives WhatsApp. The session
 * layer and the socket layer only ever see these types; each engine
 * (wwebjs, sandbox) implements them in its own folder, one file per capability.
 */
import type { AckStatus, DisconnectReason, IncomingMessage } from '../protocol/schemas';
import type { Chats } from './capabilities/chats';
import type { GroupInvites, GroupInviteSimulation, MembershipRequestReport } from './capabilities/group-invites';
import type { Account } from './capabilities/account';
import type { ContactBook, Contacts } from './capabilities/contacts';
import type { CatchUpReader, OfflineArrivals } from './capabilities/catch-up';
import type { Groups, GroupParticipantsChange, GroupSimulation, GroupUpdated } from './capabilities/groups';
import type { MediaDownloads } from './capabilities/media';
import type { MessageActions } from './capabilities/message-actions';
import type { Messaging } from './capabilities/messaging';
import type { Calls, IncomingCall, MessageEdit, MessageReaction, MessageRevoke, PollVote } from './capabilities/receiving';
import type { Simulation } from './capabilities/simulation';

export const ENGINE_NAMES = ['wwebjs', 'sandbox'] as const;
type EngineName = (typeof ENGINE_NAMES)[number];

export interface AccountInfo {
  phoneNumber: string;
  pushname: string;
  /** The WhatsApp Web version the engine runs against, when it knows it. */
  webVersion?: string;
}

/** Reasons an engine reports on its own, as opposed to those the gateway decides (stopped, qr_timeout…). */
export type EngineDisconnectReason = Extract<DisconnectReason, 'logged_out' | 'connection_lost' | 'browser_closed' | 'ready_timeout'>;

/** How a session logs in when WhatsApp asks for a login (a stored login restores either way). */
export interface LoginOptions {
  /** Digits with country code: a pairing code for this number instead of a QR code. */
  pairWithPhoneNumber?: string;
}

/** What an engine session tells the gateway. Calls may arrive more than once (e.g. `onConnected`). */
export interface EngineListener {
  onQr(qr: string): void;
  /** A pairing code (again on every refresh), for a session created with `pairWithPhoneNumber`. */
  onPairingCode(code: string): void;
  onConnected(account: AccountInfo): void;
  onDisconnected(reason: EngineDisconnectReason): void;
  onMessage(message: IncomingMessage): void;
  onAck(messageId: string, ack: AckStatus): void;
  // receiving (issue 14)
  /** A message the account sent from its phone or another linked device; never one sent through `messaging`. */
  onOwnMessage(message: IncomingMessage): void;
  onMessageEdited(edit: MessageEdit): void;
  onMessageRevoked(revoke: MessageRevoke): void;
  onReaction(reaction: MessageReaction): void;
  onPollVote(vote: PollVote): void;
  onCall(call: IncomingCall): void;
  /** Someone asks to join a group in approval mode (group invites, issue 15). */
  onMembershipRequest(request: MembershipRequestReport): void;
  // groups (issue 15)
  /** Participants were added, removed, promoted, demoted, joined or left (the account's own changes included). */
  onGroupParticipantsChanged(change: GroupParticipantsChange): void;
  /** A group's name, description, settings or picture changed (the account's own changes included). */
  onGroupUpdated(update: GroupUpdated): void;
}

/**
 * One WhatsApp account driven by an engine: its lifecycle, and what it can do once connected, one
 * capability each (src/engines/capabilities/). A capability an engine lacks is absent; the gateway
 * answers `not_supported` for it. Methods reject with a GatewayError, or anything else to wrap.
 */
export interface EngineSession {
  /** Launch; QR codes or the connection follow through the listener. Resolves once launched. */
  start(): Promise<void>;
  /** Close everything; keep the stored login. Never rejects. */
  stop(): Promise<void>;
  /** Unlink from WhatsApp and delete the stored login. */
  logout(): Promise<void>;
  /** The browser's process id, for engines that run one (memory metrics, clean-up checks). */
  browserProcessId?(): number | undefined;
  readonly messaging: Messaging;
  readonly contacts: Contacts;
  readonly media?: MediaDownloads;
  readonly messageActions: MessageActions;
  readonly simulation?: Simulation;
  /** Declining calls (REJECT_CALLS). */
  readonly calling?: Calls;
  /** Chats and history (issue 15). */
  readonly chats?: Chats;
  /** Invite links and membership requests (issue 15). */
  readonly groupInvites?: GroupInvites;
  readonly groupInviteSimulation?: GroupInviteSimulation;
  /** Contact list, blocklist, LID <-> phone (issue 15). */
  readonly contactBook?: ContactBook;
  /** The account's own profile (issue 15). */
  readonly account?: Account;
  /** Reading the chats after a connect, for catch-up after downtime (issue 15). */
  readonly catchUp?: CatchUpReader;
  // groups (issue 15)
  readonly groups?: Groups;
  readonly groupSimulation?: GroupSimulation;
}

export interface Engine {
  readonly name: EngineName;
  /** Simulated messages arriving while a session is not running (sandbox only; issue 15). */
  readonly offlineArrivals?: OfflineArrivals;
  /** Throws a GatewayError when no session can start at all (e.g. `browser_not_found`). */
  assertCanStart(): void;
  /** The login method is fixed here: the library cannot switch a running page from QR to pairing code. */
  createSession(sessionId: string, listener: EngineListener, login?: LoginOptions): EngineSession;
}
