/** Groups (issue 15): the requests' answers and the group events. */
import * as s from '../schemas';
import type { RequestSpecs, ServerEventNotes } from './spec';

export const groupsEvents = {
  group_created: s.groupCreatedSchema,
  group_info: s.groupInfoSchema,
  group_update_applied: s.groupUpdateAppliedSchema,
  group_picture_set: s.groupPictureSetSchema,
  group_participants_result: s.participantsResultSchema,
  group_left: s.groupLeftSchema,
  common_groups: s.commonGroupsSchema,
  group_participants_changed: s.groupParticipantsChangedSchema,
  group_updated: s.groupUpdatedSchema,
} as const;

const answer = (request: string) => ({ summary: `Answer to ${request}.`, delivery: 'the requesting connection' });

export const groupsEventNotes = {
  group_created: answer('create_group'),
  group_info: answer('get_group_info'),
  group_update_applied: answer('update_group: WhatsApp took every change it lists'),
  group_picture_set: answer('set_group_picture'),
  group_participants_result: answer('add_participants, remove_participants, promote_participants and demote_participants'),
  group_left: answer('leave_group'),
  common_groups: answer('get_common_groups'),
  group_participants_changed: {
    summary:
      "Participants of a group were added, removed, promoted or demoted (by `by`), joined by invite link or left; this account's own changes included.",
    delivery: 'session followers',
  },
  group_updated: {
    summary: "A group's name, description, settings or picture changed; one event per change, this account's own included.",
    delivery: 'session followers',
  },
} as const satisfies ServerEventNotes<typeof groupsEvents>;

const participantsRequest = (action: string, summary: string) =>
  ({
    payload: s.participantsRequestSchema,
    success: 'group_participants_result',
    error: 'session_error',
    summary: `${summary} (admins only: not_group_admin); answers per number. ${action}`,
  }) as const;

export const groupsRequests = {
  create_group: {
    payload: s.createGroupSchema,
    success: 'group_created',
    error: 'session_error',
    summary: 'Create a group with this account as super admin; answers its id and who could not be added, and why.',
  },
  get_group_info: {
    payload: s.groupInfoRequestSchema,
    success: 'group_info',
    error: 'session_error',
    summary:
      'Name, description, owner, creation time, participants with admin flags, settings; the invite link when this account is an admin.',
  },
  update_group: {
    payload: s.updateGroupSchema,
    success: 'group_update_applied',
    error: 'session_error',
    summary:
      'Change the name, description (anyone, unless infoAdminsOnly) and the settings messagesAdminsOnly, infoAdminsOnly (admins only).',
  },
  set_group_picture: {
    payload: s.setGroupPictureSchema,
    success: 'group_picture_set',
    error: 'session_error',
    summary: "Set the group's picture from an image, with the media rules of sends (anyone, unless infoAdminsOnly).",
  },
  add_participants: participantsRequest('', 'Add people to a group'),
  remove_participants: participantsRequest('Nobody removes the creator.', 'Remove people from a group'),
  promote_participants: participantsRequest('', 'Make participants admins'),
  demote_participants: participantsRequest('Nobody demotes the creator.', 'Make admins plain participants'),
  leave_group: {
    payload: s.leaveGroupSchema,
    success: 'group_left',
    error: 'session_error',
    summary: 'This account leaves the group (when it was the last admin, WhatsApp makes another participant admin).',
  },
  get_common_groups: {
    payload: s.commonGroupsRequestSchema,
    success: 'common_groups',
    error: 'session_error',
    summary: 'The groups this account shares with a contact.',
  },
  sandbox_group_event: {
    payload: s.simulateGroupEventSchema,
    success: 'group_participants_changed',
    error: 'session_error',
    summary: 'Sandbox engine only: others act in a group (an admin `by` adds, removes, promotes, demotes; people join or leave).',
  },
  sandbox_added_to_group: {
    payload: s.simulateAddedToGroupSchema,
    success: 'group_participants_changed',
    error: 'session_error',
    summary: 'Sandbox engine only: someone (`by`) creates a group and adds this account to it.',
  },
} as const satisfies RequestSpecs;
