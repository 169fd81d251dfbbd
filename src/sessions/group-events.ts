/** The group events (issue 15) as the protocol carries them: numbers rather than person ids, with the session's id. */
import type { GroupParticipantsChange, GroupUpdated } from '../engines/capabilities/groups';
import { toPublicAddress } from '../protocol/chat-id';
import type { ServerPayload } from '../protocol/events';

export function participantsChangedPayload(
  sessionId: string,
  change: GroupParticipantsChange,
): ServerPayload<'group_participants_changed'> {
  return {
    sessionId,
    groupId: change.groupId,
    action: change.action,
    participants: change.participants.map(toPublicAddress),
    by: change.by === null ? null : toPublicAddress(change.by),
  };
}

export function groupUpdatedPayload(sessionId: string, update: GroupUpdated): ServerPayload<'group_updated'> {
  return {
    sessionId,
    groupId: update.groupId,
    changes: update.changes,
    ...(update.valueNotRead && { valueNotRead: update.valueNotRead }),
    by: update.by === null ? null : toPublicAddress(update.by),
  };
}
