/**
 * The engine events a session publishes as they come, with its id: acks and the receiving events
 * (issue 14). A new event of this kind is one line here; the events that move the session's status
 * (QR codes, the connection, disconnections) and incoming messages are handled by the session itself.
 */
import type { EngineListener } from '../engines/engine';
import type { IncomingCall } from '../engines/capabilities/receiving';
import { groupUpdatedPayload, participantsChangedPayload } from './group-events';
import type { SessionEmitter } from './publisher';

type ForwardedEvents = Pick<
  EngineListener,
  | 'onAck'
  | 'onOwnMessage'
  | 'onMessageEdited'
  | 'onMessageRevoked'
  | 'onReaction'
  | 'onPollVote'
  | 'onCall'
  // group invites (issue 15)
  | 'onMembershipRequest'
  // groups (issue 15)
  | 'onGroupParticipantsChanged'
  | 'onGroupUpdated'
>;

interface ForwardingDeps {
  sessionId: string;
  emit: SessionEmitter;
  /** Runs a handler in the session's event order (and not for an engine session it let go of). */
  handle: (handler: () => unknown) => void;
  /** Called for each incoming call, right after call_received. */
  onCall: (call: IncomingCall) => void;
}

export function forwardedEvents({ sessionId, emit, handle, onCall }: ForwardingDeps): ForwardedEvents {
  return {
    onAck: (messageId, ack) => handle(() => emit('message_ack', { sessionId, messageId, ack })),
    onOwnMessage: (message) => handle(() => emit('own_message', { sessionId, message })),
    onMessageEdited: (edit) => handle(() => emit('message_edited', { sessionId, ...edit })),
    onMessageRevoked: (revoke) => handle(() => emit('message_revoked', { sessionId, ...revoke })),
    onReaction: (reaction) => handle(() => emit('message_reaction', { sessionId, ...reaction })),
    onPollVote: (vote) => handle(() => emit('poll_vote', { sessionId, ...vote })),
    onCall: (call) =>
      handle(() => {
        emit('call_received', { sessionId, ...call });
        onCall(call);
      }),
    onMembershipRequest: (request) => handle(() => emit('group_membership_request', { sessionId, ...request })),
    // groups (issue 15)
    onGroupParticipantsChanged: (change) => handle(() => emit('group_participants_changed', participantsChangedPayload(sessionId, change))),
    onGroupUpdated: (update) => handle(() => emit('group_updated', groupUpdatedPayload(sessionId, update))),
  };
}
