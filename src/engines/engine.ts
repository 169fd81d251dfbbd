/**
 * The port between the gateway and whatever drives WhatsApp. The session
 * layer and the socket layer only ever see these types; each engine
 * (wwebjs, sandbox) implements them in its own folder.
 */
import type { AckStatus, DisconnectReason, IncomingMessage, MessageType, ProfileInfo } from '../protocol/schemas';

export const ENGINE_NAMES = ['wwebjs', 'sandbox'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** Media already checked by the gateway (source allowed, type fits, size capped). */
export interface MediaFile {
  mimetype: string;
  fileName: string;
  /** Bytes; once load() resolved, the length of what it read (a file may have changed since it was checked). */
  readonly size: number;
  /** The bytes; read only when the message is actually sent, still within the size cap. */
  load(): Promise<Buffer>;
  /** Lets go of what load() reads from (an open file), for sources that hold one. Called once the send is over, whatever its outcome. */
  release?(): void;
}

export interface OutgoingMessage {
  type: MessageType;
  /** The text, or the caption of a media message. */
  text?: string;
  media?: MediaFile;
}

export interface SentMessage {
  /** WhatsApp's serialized message id. */
  id: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** The chat it landed in, when WhatsApp addressed it differently (a person's LID chat). */
  chatId?: string;
}

export interface AccountInfo {
  phoneNumber: string;
  pushname: string;
  /** The WhatsApp Web version the engine runs against, when it knows it. */
  webVersion?: string;
}

/** A number WhatsApp knows. */
export interface NumberLookup {
  /** The id to address it by (`…@c.us`, or a LID). */
  id: string;
  /** Its LID (`…@lid`), when known. */
  lid?: string;
}

/** Reasons an engine reports on its own, as opposed to those the gateway decides (stopped, qr_timeout…). */
export type EngineDisconnectReason = Extract<DisconnectReason, 'logged_out' | 'connection_lost' | 'browser_closed' | 'ready_timeout'>;

/** What an engine session tells the gateway. Calls may arrive more than once (e.g. `onConnected`). */
export interface EngineListener {
  onQr(qr: string): void;
  onConnected(account: AccountInfo): void;
  onDisconnected(reason: EngineDisconnectReason): void;
  onMessage(message: IncomingMessage): void;
  onAck(messageId: string, ack: AckStatus): void;
}

/**
 * One WhatsApp account driven by an engine. Chat ids are WhatsApp ids
 * (`…@c.us`, `…@g.us`), already validated. Methods reject with a
 * GatewayError, or with anything else for the caller to wrap.
 */
export interface EngineSession {
  /** Launch; QR codes or the connection follow through the listener. Resolves once launched. */
  start(): Promise<void>;
  /** Close everything; keep the stored login. Never rejects. */
  stop(): Promise<void>;
  /** Unlink from WhatsApp and delete the stored login. */
  logout(): Promise<void>;
  sendMessage(chatId: string, message: OutgoingMessage): Promise<SentMessage>;
  /** How WhatsApp knows the number, or null when it has no account. */
  lookupNumber(chatId: string): Promise<NumberLookup | null>;
  getProfile(chatId: string): Promise<ProfileInfo>;
  setTyping(chatId: string, isTyping: boolean): Promise<void>;
  markRead(chatId: string): Promise<void>;
  /** The browser's process id, for engines that run one (memory metrics, clean-up checks). */
  browserProcessId?(): number | undefined;
  /** Only engines that can simulate incoming traffic (the sandbox) provide this. */
  injectMessage?(fromChatId: string, text: string): IncomingMessage;
}

export interface Engine {
  readonly name: EngineName;
  /** Throws a GatewayError when no session can start at all (e.g. `browser_not_found`). */
  assertCanStart(): void;
  createSession(sessionId: string, listener: EngineListener): EngineSession;
}
