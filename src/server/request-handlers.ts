/**
 * What the gateway does for each client event, typed by the protocol's request table: every request
 * goes straight to the session-layer object for its capability (src/sessions/requests/), built once
 * with its settings. Session ids in payloads are already checked against the connection's scope;
 * lists are filtered here.
 */
import { toPhoneNumber } from '../protocol/chat-id';
import type { RequestName, RequestPayload, RequestResult } from '../protocol/events';
import type { ReplayReport } from '../sessions/journal';
import type { Answer } from '../sessions/publisher';
import type { ContactRequests } from '../sessions/requests/contacts';
import type { GroupRequests } from '../sessions/requests/groups';
import type { MediaRequests } from '../sessions/requests/media';
import type { MessageActionRequests } from '../sessions/requests/message-actions';
import type { MessageStatusRequests } from '../sessions/requests/message-status';
import type { MessagingRequests } from '../sessions/requests/messaging';
import type { Sending } from '../sessions/requests/sending';
import type { SimulationRequests } from '../sessions/requests/simulation';
import type { SessionManager } from '../sessions/session-manager';
import { canUse, type Access } from './api-keys';
import type { GatewaySocket } from './socket-types';

export interface RequestContext {
  socket: GatewaySocket;
  access: Access;
  /** Replace the set of sessions whose events this connection receives, first replaying what it missed of those in `since`. */
  subscribe(sessionIds: '*' | string[], since?: Record<string, number>): Promise<Record<string, ReplayReport>>;
}

/** `publishedFor`: the answer already went out as that session's event (no second copy for its followers). */
export type Reply<E extends RequestName> = Answer<RequestResult<E>>;

export type Handler<E extends RequestName> = (payload: RequestPayload<E>, context: RequestContext) => Promise<Reply<E>> | Reply<E>;
export type RequestHandlers = { [E in RequestName]: Handler<E> };

/** The session layer, by capability. */
export interface SessionRequests {
  manager: SessionManager;
  sending: Sending;
  messageStatus: MessageStatusRequests;
  messageActions: MessageActionRequests;
  messaging: MessagingRequests;
  media: MediaRequests;
  contacts: ContactRequests;
  simulation: SimulationRequests;
  groups: GroupRequests;
}

export interface HandlerOptions {
  maxSessionsPerKey: number;
}

export function createRequestHandlers(requests: SessionRequests, options: HandlerOptions): RequestHandlers {
  const { manager, sending, messageStatus, messageActions, messaging, media, contacts, simulation, groups } = requests;
  const visibleTo = (access: Access) => (sessionId: string) => canUse(access, sessionId);
  /** Sessions a key starts or loads count against its MAX_SESSIONS_PER_KEY. */
  const ownerOf = (access: Access) => (access.keyId === 'anonymous' ? undefined : { id: access.keyId, limit: options.maxSessionsPerKey });
  return {
    start_session: async ({ sessionId, phoneNumber }, { socket, access }) => {
      const login = phoneNumber === undefined ? {} : { pairWithPhoneNumber: toPhoneNumber(phoneNumber) };
      const { session, started, snapshot } = await manager.start(sessionId, ownerOf(access), login);
      const latestQr = session.latestQr();
      const latestPairingCode = session.latestPairingCode();
      if (!started && latestQr) socket.emit('qr_code', latestQr);
      if (!started && latestPairingCode) socket.emit('pairing_code', latestPairingCode);
      return { data: snapshot, ...(started && { publishedFor: sessionId }) };
    },
    stop_session: async ({ sessionId }) => ({ data: await manager.stop(sessionId), publishedFor: sessionId }),
    logout_session: async ({ sessionId }) => ({ data: await manager.logout(sessionId), publishedFor: sessionId }),
    send_whatsapp_message: (request) => sending.send(request),
    get_message_status: async (request) => ({ data: await messageStatus.status(request) }),
    download_media: async (request) => ({ data: await media.download(request) }),
    check_phone_number: async (request) => ({ data: await contacts.checkPhoneNumber(request) }),
    get_profile_info: async (request) => ({ data: await contacts.getProfileInfo(request) }),
    send_typing: async (request) => ({ data: await messaging.sendTyping(request) }),
    read_message: async (request) => ({ data: await messaging.readMessage(request) }),
    react_to_message: async (request) => ({ data: await messageActions.react(request) }),
    edit_message: async (request) => ({ data: await messageActions.edit(request) }),
    delete_message: async (request) => ({ data: await messageActions.delete(request) }),
    forward_message: async (request) => ({ data: await messageActions.forward(request) }),
    send_presence: async (request) => ({ data: await messageActions.setPresence(request) }),
    get_session_status: async ({ sessionId }) => ({ data: await manager.status(sessionId) }),
    get_active_sessions: (_, { access }) => ({ data: manager.active(visibleTo(access)) }),
    load_sessions_from_storage: async (_, { access }) => ({ data: await manager.loadStored(visibleTo(access), ownerOf(access)) }),
    get_available_sessions: async (_, { access }) => ({ data: await manager.available(visibleTo(access)) }),
    subscribe: async ({ sessionIds, since }, { subscribe }) => {
      const replayed = await subscribe(sessionIds, since);
      return { data: { sessionIds, ...(since && { replayed }) } };
    },
    sandbox_inject_message: (request) => ({ data: simulation.injectMessage(request), publishedFor: request.sessionId }),
    // receiving (issue 14)
    sandbox_inject_own_message: (request) => ({ data: simulation.injectOwnMessage(request), publishedFor: request.sessionId }),
    sandbox_edit_message: (request) => ({ data: simulation.editMessage(request), publishedFor: request.sessionId }),
    sandbox_revoke_message: (request) => ({ data: simulation.revokeMessage(request), publishedFor: request.sessionId }),
    sandbox_react: (request) => ({ data: simulation.react(request), publishedFor: request.sessionId }),
    sandbox_vote: (request) => ({ data: simulation.vote(request), publishedFor: request.sessionId }),
    sandbox_call: (request) => ({ data: simulation.call(request), publishedFor: request.sessionId }),
    // groups (issue 15)
    create_group: async (request) => ({ data: await groups.create(request) }),
    get_group_info: async (request) => ({ data: await groups.getInfo(request) }),
    update_group: async (request) => ({ data: await groups.update(request) }),
    set_group_picture: async (request) => ({ data: await groups.setPicture(request) }),
    add_participants: async (request) => ({ data: await groups.add(request) }),
    remove_participants: async (request) => ({ data: await groups.remove(request) }),
    promote_participants: async (request) => ({ data: await groups.promote(request) }),
    demote_participants: async (request) => ({ data: await groups.demote(request) }),
    leave_group: async (request) => ({ data: await groups.leave(request) }),
    get_common_groups: async (request) => ({ data: await groups.commonGroups(request) }),
    sandbox_group_event: (request) => ({ data: groups.simulateEvent(request), publishedFor: request.sessionId }),
    sandbox_added_to_group: (request) => ({ data: groups.simulateAdded(request), publishedFor: request.sessionId }),
  };
}
