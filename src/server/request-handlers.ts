/**
 * What the gateway does for each client event: one small function per
 * request, typed by the protocol's request table.
 */
import type { RequestName, RequestPayload, RequestResult, ServerToClientEvents } from '../protocol/events';
import type { Socket } from 'socket.io';
import type { ClientToServerEvents } from '../protocol/events';
import * as actions from '../sessions/actions';
import type { SessionManager } from '../sessions/session-manager';

export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface RequestContext {
  socket: GatewaySocket;
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

export function createRequestHandlers(manager: SessionManager, mediaDir: string): RequestHandlers {
  return {
    start_session: ({ sessionId }, { socket }) => {
      const { session, started } = manager.start(sessionId);
      const latestQr = session.latestQr();
      if (!started && latestQr) socket.emit('qr_code', latestQr);
      return { data: session.snapshot(), ...(started && { publishedFor: sessionId }) };
    },
    stop_session: async ({ sessionId }) => ({ data: await manager.stop(sessionId), publishedFor: sessionId }),
    logout_session: async ({ sessionId }) => ({ data: await manager.logout(sessionId), publishedFor: sessionId }),
    send_whatsapp_message: async (request) => ({ data: await actions.sendMessage(manager.get(request.sessionId), request, mediaDir) }),
    check_phone_number: async ({ sessionId, phoneNumber }) => ({
      data: await actions.checkPhoneNumber(manager.get(sessionId), phoneNumber),
    }),
    get_profile_info: async ({ sessionId, phoneNumber }) => ({ data: await actions.getProfileInfo(manager.get(sessionId), phoneNumber) }),
    send_typing: async ({ sessionId, to, isTyping }) => ({ data: await actions.sendTyping(manager.get(sessionId), to, isTyping) }),
    read_message: async ({ sessionId, messageKey }) => ({ data: await actions.readMessage(manager.get(sessionId), messageKey) }),
    get_session_status: async ({ sessionId }) => ({ data: await manager.status(sessionId) }),
    get_active_sessions: () => ({ data: manager.active() }),
    load_sessions_from_storage: async () => ({ data: await manager.loadStored() }),
    get_available_sessions: async () => ({ data: await manager.available() }),
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
