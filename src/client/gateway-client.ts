/**
 * A typed client for bots: `connect(url, { token })`, then promise methods
 * built on the acknowledgement form, and typed listeners for server events.
 *
 *   const wa = connect('http://localhost:3000');
 *   wa.on('message_received', ({ sessionId, message }) => …);
 *   await wa.startSession('bot');
 *   await wa.sendMessage({ sessionId: 'bot', to: '6282284316465', message: 'hi' });
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { ErrorCode } from '../protocol/errors';
import type {
  AckResponse,
  ClientToServerEvents,
  RequestInput,
  RequestName,
  RequestResult,
  ServerEventName,
  ServerToClientEvents,
} from '../protocol/events';

export type GatewaySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  /** API key, sent as the Socket.IO `auth.token`. */
  token?: string;
  /** How long a request waits for its answer (default 30 s). */
  timeoutMs?: number;
  transports?: Array<'websocket' | 'polling'>;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** A request the gateway answered with an error (or did not answer in time: code `timeout`). */
export class GatewayRequestError extends Error {
  constructor(
    readonly code: ErrorCode | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'GatewayRequestError';
  }
}

export class GatewayClient {
  constructor(
    readonly socket: GatewaySocket,
    private readonly timeoutMs: number,
  ) {}

  on<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): this {
    this.socket.on(event, listener as never);
    return this;
  }

  off<E extends ServerEventName>(event: E, listener: ServerToClientEvents[E]): this {
    this.socket.off(event, listener as never);
    return this;
  }

  /** Sends any client event and resolves with its success payload, or rejects with a GatewayRequestError. */
  request<E extends RequestName>(
    event: E,
    ...payload: RequestInput<E> extends undefined | null | object ? [RequestInput<E>?] : [RequestInput<E>]
  ): Promise<RequestResult<E>> {
    return new Promise((resolve, reject) => {
      const onAnswer = (error: Error | null, response?: AckResponse<RequestResult<E>>) => {
        if (error || !response) return reject(new GatewayRequestError('timeout', `${event}: no answer within ${this.timeoutMs} ms`));
        if (response.ok) resolve(response.data);
        else reject(new GatewayRequestError(response.error.code, response.error.message));
      };
      const args = payload.length ? [payload[0], onAnswer] : [onAnswer];
      (this.socket.timeout(this.timeoutMs).emit as (event: string, ...args: unknown[]) => void)(event, ...args);
    });
  }

  startSession(sessionId: string) {
    return this.request('start_session', { sessionId });
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
  sendTyping(sessionId: string, to: string, isTyping: boolean) {
    return this.request('send_typing', { sessionId, to, isTyping });
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
  subscribe(sessionIds: '*' | string[]) {
    return this.request('subscribe', { sessionIds });
  }

  close(): void {
    this.socket.close();
  }
}

export function connect(url: string, options: ConnectOptions = {}): GatewayClient {
  const socket: GatewaySocket = io(url, {
    path: '/ws',
    transports: options.transports ?? ['websocket', 'polling'],
    ...(options.token !== undefined && { auth: { token: options.token } }),
    ...options.socketOptions,
  });
  return new GatewayClient(socket, options.timeoutMs ?? 30_000);
}
