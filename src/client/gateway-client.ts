/**
 * A typed client for bots: `connect(url, { token })`, then promise methods
 * built on the acknowledgement form, and typed listeners for server events.
 *
 *   const wa = connect('http://localhost:3000');
 *   wa.on('message_received', ({ sessionId, message }) => …);
 *   await wa.startSession('bot');
 *   await wa.sendMessage({ sessionId: 'bot', to: '6282284316465', message: 'hi' });
 *
 * Requests leave at a steady pace under the gateway's rate limit, and only
 * while connected: while the gateway is unreachable they wait here (not in
 * Socket.IO's buffer, which would flush them all at once on reconnect), and
 * one that cannot leave within its time limit is answered `not_sent`.
 *
 * Across a reconnect or a restart of the gateway, listeners miss nothing the
 * gateway's event log still holds, and get nothing twice (docs/decisions.md,
 * "Durable delivery"). The client remembers, per session, the `seq` of the
 * last event it handed to listeners, and every handshake asks for what came
 * after it (`auth.since`): listeners get the missed events first (marked
 * `replayed`), then `subscribed` with what was replayed (`truncated`: some were
 * no longer kept), then live ones. An event whose seq is not above the last one
 * (a replay overlapping what came live, or Socket.IO's connection state
 * recovery) is dropped, so each logged event reaches listeners once, in seq
 * order; a gateway whose log started over (a new store) is followed from its
 * new seqs. Save `lastSeqs()` and pass it back as `since` to resume after the
 * bot itself restarts (a bot whose listeners finish their work later saves the
 * seq of what it finished: examples/echo-bot.ts).
 *
 * The handshake may weigh at most the gateway's AUTH_MAX_BYTES (4 KiB: `since`
 * for about a hundred sessions). A larger `since` goes in a `subscribe` sent as
 * soon as the connection is up instead; until it is answered, the events of
 * those sessions are held back (the live ones arrive before the older replayed
 * ones) and then handed over in seq order.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ErrorCode } from '../protocol/errors';
import type { TypingState } from '../protocol/schemas';
import { TokenBucket } from '../util/token-bucket';
import { Resume, type ArrivedEvent, type Since } from './resume';
import type {
  AckResponse,
  ClientToServerEvents,
  RequestInput,
  RequestName,
  RequestResult,
  ServerEventName,
  ServerToClientEvents,
} from '../protocol/events';

/** The bot's end of the connection (socket.io-client), typed by the protocol. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  /** API key, sent as the Socket.IO `auth.token`. */
  token?: string;
  /** Per session, the last seq the bot handled (`lastSeqs()` as it saved them): the first connection resumes after it. */
  since?: Since;
  /** The gateway's AUTH_MAX_BYTES (default 4096): a `since` the handshake cannot carry under it goes in a `subscribe`. */
  authMaxBytes?: number;
  /** Only these server events reach the bot (`auth.events`, and every subscribe this client sends); default: all. */
  events?: ServerEventName[];
  /** How long a request waits for its answer, including any wait to be sent (default 30 s). */
  timeoutMs?: number;
  /** Requests sent per second at most (default 40, under the gateway's default RATE_LIMIT_PER_SEC of 50). */
  requestsPerSecond?: number;
  /** Requests sent at once before the pace applies (default 80, under the default RATE_LIMIT_BURST of 100). */
  burst?: number;
  transports?: Array<'websocket' | 'polling'>;
  /** Passed to socket.io-client; an `auth` here replaces the client's own handshake (token and resume). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/**
 * A request the gateway answered with an error; or `timeout`: sent, but no answer in time (it may
 * have been carried out); or `not_sent`: it never left this client (the gateway was unreachable, or
 * the pace held it back too long), so the gateway did nothing.
 */
export class GatewayRequestError extends Error {
  constructor(
    readonly code: ErrorCode | 'timeout' | 'not_sent',
    message: string,
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }
}

interface Outgoing {
  event: RequestName;
  args: unknown[];
  deadline: number;
  settle: (outcome: AckResponse<unknown> | GatewayRequestError) => void;
}

export interface RequestOptions {
  timeoutMs: number;
  requestsPerSecond: number;
  burst: number;
}

/** The event filter this client asks for, in its handshakes and subscribes; `subscribe` changes it. */
export interface EventChoice {
  events?: ServerEventName[];
}

type Listener = (payload: unknown) => void;

export class GatewayClient {
  private readonly pace: TokenBucket;
  private readonly outbox: Outgoing[] = [];
  private wakeUp: NodeJS.Timeout | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();

  /** `resume` must be the one whose `handshake` gives the socket its auth (connect() does this); without it, nothing is resumed. */
  constructor(
    readonly socket: ClientSocket,
    private readonly options: RequestOptions,
    private readonly resume = new Resume(),
    private readonly choice: EventChoice = {},
  ) {
    this.pace = new TokenBucket(options.requestsPerSecond, options.burst);
    socket.on('connect', () => this.onConnect());
    socket.on('disconnect', () => this.dispatch(resume.disconnected()));
    socket.onAny((event: string, payload: unknown) => this.dispatch(resume.receive({ event, payload })));
  }

  /** Listens to a server event; a logged one (with a `seq`) comes once, in seq order per session. */
  on<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): this {
    const listeners = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, listeners.add(listener as Listener));
    return this;
  }

  off<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): this {
    this.listeners.get(event)?.delete(listener as Listener);
    return this;
  }

  /** Per session, the seq of the last event handed to listeners: save it, and pass it as `since` when the bot starts again. */
  lastSeqs(): Since {
    return this.resume.lastSeqs();
  }

  private dispatch(events: ArrivedEvent[]): void {
    for (const { event, payload } of events) for (const listener of [...(this.listeners.get(event) ?? [])]) listener(payload);
  }

  /**
   * A resume the handshake could not carry goes first, at once: it belongs to this connection, and
   * the pace's default burst (80) leaves room under the gateway's (100).
   */
  private onConnect(): void {
    const resume = this.resume.bySubscribe(this.socket.recovered);
    if (resume) {
      const now = Date.now();
      const { events } = this.choice;
      const args: [RequestInput<'subscribe'>] = [{ sessionIds: '*', since: resume.since, ...(events && { events }) }];
      this.send({ event: 'subscribe', args, deadline: now + this.options.timeoutMs, settle: () => this.dispatch(resume.answered()) }, now);
    }
    this.flush();
  }

  /** Sends any client event and resolves with its success payload, or rejects with a GatewayRequestError. */
  request<E extends RequestName>(
    event: E,
    ...payload: RequestInput<E> extends undefined | null | object ? [RequestInput<E>?] : [RequestInput<E>]
  ): Promise<RequestResult<E>> {
    return new Promise((resolve, reject) => {
      const settle = (outcome: AckResponse<unknown> | GatewayRequestError) => {
        if (outcome instanceof GatewayRequestError) reject(outcome);
        else if (outcome.ok) resolve(outcome.data as RequestResult<E>);
        else reject(new GatewayRequestError(outcome.error.code, outcome.error.message));
      };
      this.outbox.push({ event, args: payload.length ? [payload[0]] : [], deadline: Date.now() + this.options.timeoutMs, settle });
      this.flush();
    });
  }

  /** Sends what the pace allows while connected, answers `not_sent` what waited too long, and sleeps until the next of either. */
  private flush(): void {
    clearTimeout(this.wakeUp);
    const now = Date.now();
    while (this.outbox[0] && this.outbox[0].deadline <= now) {
      const reason = this.socket.connected ? `held back by the pace of ${this.options.requestsPerSecond}/s` : 'the gateway was unreachable';
      this.outbox.shift()!.settle(new GatewayRequestError('not_sent', `not sent within ${this.options.timeoutMs} ms: ${reason}`));
    }
    while (this.outbox[0] && this.socket.connected && this.pace.tryTake(now)) this.send(this.outbox.shift()!, now);
    const next = this.outbox[0];
    if (!next) return;
    const untilToken = this.socket.connected ? this.pace.msUntilToken(now) : Number.POSITIVE_INFINITY;
    this.wakeUp = setTimeout(() => this.flush(), Math.max(1, Math.min(untilToken, next.deadline - now)));
  }

  private send({ event, args, deadline, settle }: Outgoing, now: number): void {
    const onAnswer = (timedOut: Error | null, response?: AckResponse<unknown>) =>
      settle(
        timedOut || !response ? new GatewayRequestError('timeout', `${event}: no answer within ${this.options.timeoutMs} ms`) : response,
      );
    (this.socket.timeout(deadline - now).emit as (event: string, ...args: unknown[]) => void)(event, ...args, onAnswer);
  }

  /** With `phoneNumber`, the session logs in with a pairing code (pairing_code events) instead of a QR. */
  startSession(sessionId: string, options: Omit<RequestInput<'start_session'>, 'sessionId'> = {}) {
    return this.request('start_session', { sessionId, ...options });
  }
  stopSession(sessionId: string) {
    return this.request('stop_session', { sessionId });
  }
  logoutSession(sessionId: string) {
    return this.request('logout_session', { sessionId });
  }
  sendMessage(message: RequestInput<'send_whatsapp_message'>) {
    return this.request('send_whatsapp_message', message);
  }
  checkPhoneNumber(sessionId: string, phoneNumber: string) {
    return this.request('check_phone_number', { sessionId, phoneNumber });
  }
  getProfileInfo(sessionId: string, phoneNumber: string) {
    return this.request('get_profile_info', { sessionId, phoneNumber });
  }
  /** `true`/`false` shows or clears "typing…"; a state also offers "recording audio…". */
  sendTyping(sessionId: string, to: string, typing: boolean | TypingState) {
    return this.request('send_typing', { sessionId, to, ...(typeof typing === 'boolean' ? { isTyping: typing } : { state: typing }) });
  }
  /** "" removes the reaction. */
  reactToMessage(sessionId: string, messageId: string, emoji: string) {
    return this.request('react_to_message', { sessionId, messageId, emoji });
  }
  editMessage(sessionId: string, messageId: string, text: string) {
    return this.request('edit_message', { sessionId, messageId, text });
  }
  deleteMessage(sessionId: string, messageId: string, forEveryone = false) {
    return this.request('delete_message', { sessionId, messageId, forEveryone });
  }
  forwardMessage(sessionId: string, messageId: string, to: string) {
    return this.request('forward_message', { sessionId, messageId, to });
  }
  sendPresence(sessionId: string, available: boolean) {
    return this.request('send_presence', { sessionId, available });
  }
  readMessage(sessionId: string, messageKey: RequestInput<'read_message'>['messageKey']) {
    return this.request('read_message', { sessionId, messageKey });
  }
  getSessionStatus(sessionId: string) {
    return this.request('get_session_status', { sessionId });
  }
  getActiveSessions() {
    return this.request('get_active_sessions');
  }
  loadSessionsFromStorage() {
    return this.request('load_sessions_from_storage');
  }
  getAvailableSessions() {
    return this.request('get_available_sessions');
  }
  /** Follow these sessions; `events` = only these server events (also after a reconnect), omitted = all. */
  subscribe(sessionIds: '*' | string[], events?: ServerEventName[]) {
    this.choice.events = events;
    return this.request('subscribe', { sessionIds, ...(events && { events }) });
  }
  /** The file of a received media message (its `id`): base64 in `data`, or a link in `url`; `as` picks one. */
  downloadMedia(sessionId: string, messageId: string, as?: 'data' | 'url') {
    return this.request('download_media', { sessionId, messageId, ...(as && { as }) });
  }
  /** Where a message sent through the session is, by the clientMessageId it was sent with or its WhatsApp messageId. */
  getMessageStatus(sessionId: string, message: { clientMessageId: string } | { messageId: string }) {
    return this.request('get_message_status', { sessionId, ...message });
  }

  /** Resolves once connected (at once if it already is); rejects with the first refusal (`connect_error`), e.g. `unauthorized`. */
  connected(): Promise<this> {
    if (this.socket.connected) return Promise.resolve(this);
    return new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        this.socket.off('connect', succeed);
        reject(error);
      };
      const succeed = () => {
        this.socket.off('connect_error', fail);
        resolve(this);
      };
      this.socket.once('connect', succeed);
      this.socket.once('connect_error', fail);
    });
  }

  /** Disconnects; requests still waiting to be sent are answered `not_sent`. */
  close(): void {
    clearTimeout(this.wakeUp);
    for (const waiting of this.outbox.splice(0)) waiting.settle(new GatewayRequestError('not_sent', 'not sent: the client was closed'));
    this.socket.close();
  }
}

export function connect(url: string, options: ConnectOptions = {}): GatewayClient {
  const resume = new Resume(options.since, options.authMaxBytes);
  const choice: EventChoice = { events: options.events };
  const socket: ClientSocket = io(url, {
    path: '/ws',
    transports: options.transports ?? ['websocket', 'polling'],
    // A function, so that every reconnect sends the seqs of then.
    auth: (send) => {
      const { events } = choice;
      send(resume.handshake({ ...(options.token !== undefined && { token: options.token }), ...(events && { events }) }));
    },
    ...options.socketOptions,
  });
  const requestOptions = {
    timeoutMs: options.timeoutMs ?? 30_000,
    requestsPerSecond: options.requestsPerSecond ?? 40,
    burst: options.burst ?? 80,
  };
  return new GatewayClient(socket, requestOptions, resume, choice);
}
