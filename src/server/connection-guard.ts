/**
 * What one Engine.IO connection may send, checked before Socket.IO's parser
 * sees it: the guard takes over the connection's 'data' listeners (Socket.IO's
 * parser) and forwards only what passes. A connection that breaks a rule gets
 * nothing more parsed, and is closed once the answers already produced are
 * on their way. Until the connection has authenticated it may send exactly one
 * message, the Socket.IO CONNECT that carries `auth.token`, of at most
 * AUTH_MAX_BYTES; anything else (a binary frame, an event, a second CONNECT)
 * closes it. The transport refuses a larger message from its length alone:
 * a WebSocket frame by its header, a polling body while it streams in.
 * Once authenticated: WebSocket messages up to MAX_PAYLOAD_BYTES, polling
 * bodies up to POLLING_MAX_BYTES, a binary event's JSON and attachments
 * together at most MAX_PAYLOAD_BYTES (the parser would otherwise hold up to
 * 10 attachments of MAX_PAYLOAD_BYTES each while it waits for the last one),
 * and at most `messagesPerRead` messages in one read (one polling body, or
 * the WebSocket frames of one network read): every message of a read is
 * parsed before any other client gets a turn, and past that count the rate
 * limit would close the connection anyway.
 */
import type { GatewaySocket } from './socket-types';

export type EngineSocket = GatewaySocket['conn'];
type EngineTransport = EngineSocket['transport'];

export interface MessageLimits {
  /** AUTH_MAX_BYTES: the one message allowed before authentication. */
  unauthenticatedBytes: number;
  /** MAX_PAYLOAD_BYTES: a WebSocket message, or a binary event with its attachments, once authenticated. */
  messageBytes: number;
  /** POLLING_MAX_BYTES: a polling body, once authenticated. */
  pollingBodyBytes: number;
  /** Messages in one read: what the rate limit lets through before it closes a connection (burst + strikes). */
  messagesPerRead: number;
}

/** Socket.IO packet types (socket.io-parser): CONNECT, and the two that announce binary attachments. */
const CONNECT = '0';
const BINARY_PACKETS = new Set(['5', '6']);

export class ConnectionGuard {
  private authenticated = false;
  private messagesBeforeAuth = 0;
  private messagesThisRead = 0;
  private pendingBinary: { attachmentsLeft: number; bytes: number } | null = null;
  private refused = false;

  /** `onViolation` hears why the connection is closed, and whether it had authenticated, just before it is. */
  constructor(
    private readonly conn: EngineSocket,
    private readonly limits: MessageLimits,
    private readonly onViolation: (reason: string, authenticated: boolean) => void,
  ) {
    // Socket.IO registered its parser when it saw the connection, just before the admission did.
    const parser = conn.listeners('data') as Array<(data: string | Buffer) => void>;
    conn.removeAllListeners('data');
    conn.on('data', (data: string | Buffer) => {
      if (this.passes(data)) for (const listener of parser) listener.call(conn, data);
    });
    if (parser.length === 0) this.refuse('no Socket.IO parser on the connection to guard');
    this.limitTransport(conn.transport);
    // A polling connection that upgrades gets a new transport, created with the server's (pre-auth) limit.
    conn.on('upgrading', (transport: EngineTransport) => this.limitTransport(transport));
    conn.on('upgrade', (transport: EngineTransport) => this.limitTransport(transport));
  }

  /** The connection proved its key: lift the pre-authentication limit. */
  admit(): void {
    this.authenticated = true;
    this.limitTransport(this.conn.transport);
  }

  private passes(data: string | Buffer): boolean {
    if (this.refused) return false;
    const violation = this.authenticated ? (this.checkReadSize() ?? this.checkBinaryTotal(data)) : this.checkBeforeAuth(data);
    if (violation) this.refuse(violation);
    return !violation;
  }

  private checkReadSize(): string | null {
    // A read's messages arrive in one synchronous run; the next microtask starts a new count.
    if (this.messagesThisRead === 0) queueMicrotask(() => (this.messagesThisRead = 0));
    this.messagesThisRead += 1;
    return this.messagesThisRead > this.limits.messagesPerRead ? 'more messages in one read than the rate limit lets through' : null;
  }

  private checkBeforeAuth(data: string | Buffer): string | null {
    this.messagesBeforeAuth += 1;
    if (this.messagesBeforeAuth > 1) return 'sent more than one message before authenticating';
    if (typeof data !== 'string' || data[0] !== CONNECT) return 'sent something other than CONNECT before authenticating';
    return null;
  }

  private checkBinaryTotal(data: string | Buffer): string | null {
    if (typeof data === 'string') {
      // "<type><attachments>-…": a malformed count is the parser's to refuse.
      this.pendingBinary = BINARY_PACKETS.has(data[0]!) ? { attachmentsLeft: parseInt(data.slice(1), 10), bytes: data.length } : null;
      return null;
    }
    if (!this.pendingBinary) return null; // the parser refuses a stray attachment itself
    this.pendingBinary.bytes += Buffer.byteLength(data);
    this.pendingBinary.attachmentsLeft -= 1;
    if (this.pendingBinary.bytes > this.limits.messageBytes) return 'binary event with attachments larger than MAX_PAYLOAD_BYTES';
    if (this.pendingBinary.attachmentsLeft <= 0) this.pendingBinary = null;
    return null;
  }

  private limitTransport(transport: EngineTransport): void {
    const authenticatedBytes = transport.name === 'polling' ? this.limits.pollingBodyBytes : this.limits.messageBytes;
    const bytes = this.authenticated ? authenticatedBytes : this.limits.unauthenticatedBytes;
    if (!setMessageLimit(transport, bytes)) this.refuse(`cannot limit messages on the ${transport.name} transport`);
  }

  private refuse(reason: string): void {
    if (this.refused) return;
    this.refused = true;
    // Once what was already parsed has been handled and answered; Engine.IO flushes the answers, then closes.
    setImmediate(() => {
      this.onViolation(reason, this.authenticated);
      this.conn.close();
    });
  }
}

/**
 * Engine.IO has one message limit for the whole server (maxHttpBufferSize); per connection, the
 * polling transport's copy is a public field, and the WebSocket's lives in its ws receiver.
 * False when neither is there (a future engine.io or ws): the caller closes the connection.
 */
function setMessageLimit(transport: EngineTransport, bytes: number): boolean {
  const fields = transport as unknown as { maxHttpBufferSize?: number; socket?: { _receiver?: { _maxPayload?: unknown } } };
  if (transport.name === 'polling' && typeof fields.maxHttpBufferSize === 'number') {
    fields.maxHttpBufferSize = bytes;
    return true;
  }
  const receiver = fields.socket?._receiver;
  if (transport.name === 'websocket' && receiver && typeof receiver._maxPayload === 'number') {
    receiver._maxPayload = bytes;
    return true;
  }
  return false;
}
