/**
 * What the gateway does for each client event, typed by the protocol's request table: every request
 * goes straight to the session-layer object for its capability (src/sessions/requests/), built once
 * with its settings. Session ids in payloads are already checked against the connection's scope;
 * lists are filtered here.
 */
import { toPhoneNumber } from '../protocol/chat-id';
import type { RequestName, RequestPayload, RequestResult, ServerEventName } from '../protocol/events';
import type { ReplayReport } from '../sessions/journal';
import type { CatchUpRequests } from '../sessions/requests/catch-up';
import type { Answer } from '../sessions/publisher';
import type { AccountRequests } from '../sessions/requests/account';
import type { ChatRequests } from '../sessions/requests/chats';
import type { ContactRequests } from '../sessions/requests/contacts';
import type { GroupInviteRequests } from '../sessions/requests/group-invites';
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
import { sendTo } from './subscriptions';

interface RequestContext {
  socket: GatewaySocket;
  access: Access;
  /**
   * Replace the set of sessions whose events this connection receives, and which events (all when `events`
   * is undefined), first replaying what it missed of those in `since`.
   */
  subscribe(sessionIds: '*' | string[], since?: Record<string, number>, events?: ServerEventName[]): Promise<Record<string, ReplayReport>>;
}

/** `publishedFor`: the answer already went out as that session's event (no second copy for its followers). */
type Reply<E extends RequestName> = Answer<RequestResult<E>>;

export type Handler<E extends RequestName> = (payload: RequestPayload<E>, context: RequestContext) => Promise<Reply<E>> | Reply<E>;
export type RequestHandlers = { [E in RequestName]: Handler<E> };

/** The session layer, by capability. */
interface SessionRequests {
  manager: SessionManager;
  sending: Sending;
  messageStatus: MessageStatusRequests;
  messageActions: MessageActionRequests;
  messaging: MessagingRequests;
  media: MediaRequests;
  contacts: ContactRequests;
  account: AccountRequests;
  simulation: SimulationRequests;
  chats: ChatRequests;
  groupInvites: GroupInviteRequests;
  catchUp: CatchUpRequests;
  groups: GroupRequests;
}

interface HandlerOptions {
  maxSessionsPerKey: number;
}

export function createRequestHandlers(requests: SessionRequests, options: HandlerOptions): RequestHandlers {
  const { manager, sending, messageStatus, messageActions, messaging, media, contacts, account, simulation, catchUp, chats, groups } =
    requests;
  const visibleTo = (access: Access) => (sessionId: string) => canUse(access, sessionId);
  /** Sessions a key starts or loads count against its MAX_SESSIONS_PER_KEY. */
  const ownerOf = (access: Access) => (access.keyId === 'anonymous' ? undefined : { id: access.keyId, limit: options.maxSessionsPerKey });
  return {
    start_session: async ({ sessionId, phoneNumber }, { socket, access }) => {
      const login = phoneNumber === undefined ? {} : { pairWithPhoneNumber: toPhoneNumber(phoneNumber) };
      const { session, started, snapshot } = await manager.start(sessionId, ownerOf(access), login);
      const latestQr = session.latestQr();
      const latestPairingCode = session.latestPairingCode();
      if (!started && latestQr) sendTo(socket, 'qr_code', latestQr);
      if (!started && latestPairingCode) sendTo(socket, 'pairing_code', latestPairingCode);
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
    // contacts and own account (issue 15)
    get_contacts: async (request) => ({ data: await contacts.getContacts(request) }),
    block_contact: async (request) => ({ data: await contacts.block(request) }),
    unblock_contact: async (request) => ({ data: await contacts.unblock(request) }),
    get_blocked_contacts: async (request) => ({ data: await contacts.getBlocked(request) }),
    resolve_contact: async (request) => ({ data: await contacts.resolve(request) }),
    set_display_name: async (request) => ({ data: await account.setDisplayName(request) }),
    set_about: async (request) => ({ data: await account.setAbout(request) }),
    set_profile_picture: async (request) => ({ data: await account.setProfilePicture(request) }),
    delete_profile_picture: async (request) => ({ data: await account.deleteProfilePicture(request) }),
    get_own_profile: async (request) => ({ data: await account.getOwnProfile(request) }),
    get_session_status: async ({ sessionId }) => ({ data: await manager.status(sessionId) }),
    get_active_sessions: (_, { access }) => ({ data: manager.active(visibleTo(access)) }),
    load_sessions_from_storage: async (_, { access }) => ({ data: await manager.loadStored(visibleTo(access), ownerOf(access)) }),
    get_available_sessions: async (_, { access }) => ({ data: await manager.available(visibleTo(access)) }),
    subscribe: async ({ sessionIds, since, events }, { subscribe }) => {
      const replayed = await subscribe(sessionIds, since, events);
      return { data: { sessionIds, ...(events && { events }), ...(since && { replayed }) } };
    },
    sandbox_inject_message: (request) => ({ data: simulation.injectMessage(request), publishedFor: request.sessionId }),
    // receiving (issue 14)
    sandbox_inject_own_message: (request) => ({ data: simulation.injectOwnMessage(request), publishedFor: request.sessionId }),
    sandbox_edit_message: (request) => ({ data: simulation.editMessage(request), publishedFor: request.sessionId }),
    sandbox_revoke_message: (request) => ({ data: simulation.revokeMessage(request), publishedFor: request.sessionId }),
    sandbox_react: (request) => ({ data: simulation.react(request), publishedFor: request.sessionId }),
    sandbox_vote: (request) => ({ data: simulation.vote(request), publishedFor: request.sessionId }),
    sandbox_call: (request) => ({ data: simulation.call(request), publishedFor: request.sessionId }),
    // chats and history (issue 15)
    get_chats: async (request) => ({ data: await chats.getChats(request) }),
    fetch_messages: async (request) => ({ data: await chats.fetchMessages(request) }),
    archive_chat: async (request) => ({ data: await chats.archive(request) }),
    pin_chat: async (request) => ({ data: await chats.pin(request) }),
    mute_chat: async (request) => ({ data: await chats.mute(request) }),
    mark_chat_unread: async (request) => ({ data: await chats.markUnread(request) }),
    clear_chat: async (request) => ({ data: await chats.clear(request) }),
    delete_chat: async (request) => ({ data: await chats.delete(request) }),
    // group invites (issue 15)
    get_invite_link: async (request) => ({ data: await requests.groupInvites.getInviteLink(request) }),
    revoke_invite_link: async (request) => ({ data: await requests.groupInvites.revokeInviteLink(request) }),
    join_group_by_invite: async (request) => ({ data: await requests.groupInvites.join(request) }),
    get_invite_info: async (request) => ({ data: await requests.groupInvites.getInviteInfo(request) }),
    get_membership_requests: async (request) => ({ data: await requests.groupInvites.membershipRequests(request) }),
    approve_membership_requests: async (request) => ({ data: await requests.groupInvites.approve(request) }),
    reject_membership_requests: async (request) => ({ data: await requests.groupInvites.reject(request) }),
    sandbox_membership_request: (request) => ({ data: requests.groupInvites.requestMembership(request), publishedFor: request.sessionId }),
    sandbox_queue_offline_message: async (request) => ({ data: await catchUp.queueOfflineMessage(request) }),
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
