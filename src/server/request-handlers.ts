/**
 * What the gateway does for each client event: one small function per
 * request, typed by the protocol's request table. Session ids in payloads
 * are already checked against the connection's scope; lists are filtered
 * here.
 */
import type { Socket } from 'socket.io';
import type { ClientToServerEvents, RequestName, RequestPayload, RequestResult, ServerToClientEvents } from '../protocol/events';
import * as actions from '../sessions/actions';
import type { SessionManager } from '../sessions/session-manager';
import { canUse, type Access } from './api-keys';

export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { access: Access }>;

export interface RequestContext {
  socket: GatewaySocket;
  access: Access;
  /** Replace the set of sessions whose events this connection receives. */
  subscribe(sessionIds: '*' | string[]): void;
}

export interface Reply<E extends RequestName> {
  data: RequestResult<E>;
  /** Set when the answer was already published as this session's event (no second copy for followers). */
  publishedFor?: string;
}

type Handler<E extends RequestName> = (payload: RequestPayload<E>, context: RequestContext) => Promise<Reply<E>> | Reply<E>;
export type RequestHandlers = { [E in RequestName]: Handler<E> };

export interface HandlerOptions {
  sendPolicy: actions.SendPolicy;
  maxSessionsPerKey: number;
  /** Wraps every send, e.g. to time it for metrics. */
  observeSend: <T>(sessionId: string, send: Promise<T>) => Promise<T>;
}

export function createRequestHandlers(manager: SessionManager, options: HandlerOptions): RequestHandlers {
  const visibleTo = (access: Access) => (sessionId: string) => canUse(access, sessionId);
  /** Sessions a key starts or loads count against its MAX_SESSIONS_PER_KEY. */
  const ownerOf = (access: Access) => (access.keyId === 'anonymous' ? undefined : { id: access.keyId, limit: options.maxSessionsPerKey });
  return {
    start_session: async ({ sessionId }, { socket, access }) => {
      const { session, started, snapshot } = await manager.start(sessionId, ownerOf(access));
      const latestQr = session.latestQr();
      if (!started && latestQr) socket.emit('qr_code', latestQr);
      return { data: snapshot, ...(started && { publishedFor: sessionId }) };
    },
    stop_session: async ({ sessionId }) => ({ data: await manager.stop(sessionId), publishedFor: sessionId }),
    logout_session: async ({ sessionId }) => ({ data: await manager.logout(sessionId), publishedFor: sessionId }),
    send_whatsapp_message: async (request) => ({
      data: await options.observeSend(request.sessionId, manager.send(request, options.sendPolicy)),
    }),
    check_phone_number: async ({ sessionId, phoneNumber }) => ({
      data: await actions.checkPhoneNumber(manager.get(sessionId), phoneNumber),
    }),
    get_profile_info: async ({ sessionId, phoneNumber }) => ({ data: await actions.getProfileInfo(manager.get(sessionId), phoneNumber) }),
    send_typing: async ({ sessionId, to, isTyping }) => ({ data: await actions.sendTyping(manager.get(sessionId), to, isTyping) }),
    read_message: async ({ sessionId, messageKey }) => ({ data: await actions.readMessage(manager.get(sessionId), messageKey) }),
    get_session_status: async ({ sessionId }) => ({ data: await manager.status(sessionId) }),
    get_active_sessions: (_, { access }) => ({ data: manager.active(visibleTo(access)) }),
    load_sessions_from_storage: async (_, { access }) => ({ data: await manager.loadStored(visibleTo(access), ownerOf(access)) }),
    get_available_sessions: async (_, { access }) => ({ data: await manager.available(visibleTo(access)) }),
    subscribe: ({ sessionIds }, { subscribe }) => {
      subscribe(sessionIds);
      return { data: { sessionIds } };
    },
    sandbox_inject_message: ({ sessionId, from, text }) => ({
      data: { sessionId, message: actions.injectMessage(manager.get(sessionId), from, text) },
      publishedFor: sessionId,
    }),
  };
}
