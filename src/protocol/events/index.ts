/**
 * The Socket.IO protocol as typed event maps, derived from the schemas.
 * `requests` says, for each client event, which payload it takes, which
 * server event answers it and which server event carries its errors;
 * `serverEventNotes` says what each server event means and who receives it.
 *
 * Each family declares its events, their notes and its requests in a file
 * of its own here; the maps below join them, in the order the published
 * documents list them. A new family is a new file and one line per map.
 */
import { z } from 'zod';
import type { ErrorCode } from '../errors';
import { accountEventNotes, accountEvents, accountRequests } from './account';
import { catchUpEventNotes, catchUpEvents, catchUpRequests } from './catch-up';
import { chatsEventNotes, chatsEvents, chatsRequests } from './chats';
import { contactsEventNotes, contactsEvents, contactsRequests } from './contacts';
import { gatewayEventNotes, gatewayEvents } from './gateway';
import { groupInvitesEventNotes, groupInvitesEvents, groupInvitesRequests } from './group-invites';
import { groupsEventNotes, groupsEvents, groupsRequests } from './groups';
import { mediaEventNotes, mediaEvents, mediaRequests } from './media';
import { messageActionsEventNotes, messageActionsEvents, messageActionsRequests } from './message-actions';
import { messageStatusEventNotes, messageStatusEvents, messageStatusRequests } from './message-status';
import { messagingEventNotes, messagingEvents, messagingRequests } from './messaging';
import { receivingEventNotes, receivingEvents } from './receiving';
import { sendingEventNotes, sendingEvents, sendingRequests } from './sending';
import { sessionsEventNotes, sessionsEvents, sessionsRequests } from './sessions';
import { simulationRequests } from './simulation';
import * as s from '../schemas';
import { subscriptionsEventNotes, subscriptionsEvents, subscriptionsRequests } from './subscriptions';
import type { RequestSpec, ServerEventNote } from './spec';

export type { ErrorEventName } from './spec';

export const serverEvents = {
  ...sessionsEvents,
  ...sendingEvents,
  ...messageStatusEvents,
  ...mediaEvents,
  ...contactsEvents,
  ...accountEvents,
  ...messagingEvents,
  ...messageActionsEvents,
  ...chatsEvents,
  ...subscriptionsEvents,
  ...receivingEvents,
  ...groupInvitesEvents,
  ...catchUpEvents,
  ...groupsEvents,
  ...gatewayEvents,
};

export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

/** What each server event means and who receives it, as published in docs/protocol.md. */
export const serverEventNotes = {
  ...sessionsEventNotes,
  ...sendingEventNotes,
  ...messageStatusEventNotes,
  ...mediaEventNotes,
  ...contactsEventNotes,
  ...accountEventNotes,
  ...messagingEventNotes,
  ...messageActionsEventNotes,
  ...chatsEventNotes,
  ...subscriptionsEventNotes,
  ...receivingEventNotes,
  ...groupInvitesEventNotes,
  ...catchUpEventNotes,
  ...groupsEventNotes,
  ...gatewayEventNotes,
} satisfies Record<ServerEventName, ServerEventNote>;

export const SERVER_EVENT_NAMES = Object.keys(serverEvents) as [ServerEventName, ...ServerEventName[]];

/** subscribe's `events` names server events, so its payload is completed here, where every family's events are known. */
const subscribe = {
  ...subscriptionsRequests.subscribe,
  payload: s.subscribeSchema.extend({
    events: z.array(z.enum(SERVER_EVENT_NAMES)).max(SERVER_EVENT_NAMES.length).optional().describe(s.EVENT_FILTER_DESCRIPTION),
  }),
};

export const requests = {
  ...sessionsRequests,
  ...sendingRequests,
  ...messageStatusRequests,
  ...mediaRequests,
  ...contactsRequests,
  ...accountRequests,
  ...messagingRequests,
  ...messageActionsRequests,
  ...chatsRequests,
  subscribe,
  ...simulationRequests,
  ...groupInvitesRequests,
  ...catchUpRequests,
  ...groupsRequests,
} satisfies Record<string, RequestSpec<ServerEventName>>;

export type RequestName = keyof typeof requests;
export type RequestInput<E extends RequestName> = z.input<(typeof requests)[E]['payload']>;
export type RequestPayload<E extends RequestName> = z.output<(typeof requests)[E]['payload']>;
export type RequestResult<E extends RequestName> = ServerPayload<(typeof requests)[E]['success']>;

export type AckResponse<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
type Ack<E extends RequestName> = (response: AckResponse<RequestResult<E>>) => void;

type NoPayloadRequest = 'get_active_sessions' | 'load_sessions_from_storage' | 'get_available_sessions';

export type ClientToServerEvents = {
  [E in RequestName]: E extends NoPayloadRequest ? (ack?: Ack<E>) => void : (payload: RequestInput<E>, ack?: Ack<E>) => void;
};

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};
