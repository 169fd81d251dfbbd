/** Group invites and membership requests (issue 15). */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const groupInvitesEvents = {
  invite_link: s.inviteLinkSchema,
  invite_info: s.inviteInfoSchema,
  group_joined: s.groupJoinedSchema,
  membership_requests: s.membershipRequestsSchema,
  membership_requests_handled: s.membershipResultSchema,
  group_membership_request: s.groupMembershipRequestSchema,
} as const;

export const groupInvitesEventNotes = {
  invite_link: {
    summary: 'Answer to get_invite_link and revoke_invite_link: the current code and link.',
    delivery: 'the requesting connection',
  },
  invite_info: {
    summary: 'Answer to get_invite_info: what WhatsApp tells about a group before joining it.',
    delivery: 'the requesting connection',
  },
  group_joined: {
    summary: 'Answer to join_group_by_invite: joined, or (a group in approval mode) asked to join.',
    delivery: 'the requesting connection',
  },
  membership_requests: { summary: 'Answer to get_membership_requests: who waits for approval.', delivery: 'the requesting connection' },
  membership_requests_handled: {
    summary: 'Answer to approve_membership_requests and reject_membership_requests: the outcome per requester.',
    delivery: 'the requesting connection',
  },
  group_membership_request: {
    summary: 'Someone asks to join a group in approval mode that this account administers (approve or reject it).',
    delivery: 'session followers',
  },
} as const satisfies ServerEventNotes<typeof groupInvitesEvents>;

export const groupInvitesRequests = {
  get_invite_link: {
    payload: s.groupRefSchema,
    success: 'invite_link',
    error: 'session_error',
    summary: "The group's invite code and link (admins only).",
  },
  revoke_invite_link: {
    payload: s.groupRefSchema,
    success: 'invite_link',
    error: 'session_error',
    summary: 'Make the current invite link stop working; answers the new one (admins only).',
  },
  join_group_by_invite: {
    payload: s.inviteRefSchema,
    success: 'group_joined',
    error: 'session_error',
    summary: 'Join a group by its invite code or link.',
  },
  get_invite_info: {
    payload: s.inviteRefSchema,
    success: 'invite_info',
    error: 'session_error',
    summary: 'What WhatsApp tells about the group of an invite code or link, without joining.',
  },
  get_membership_requests: {
    payload: s.groupRefSchema,
    success: 'membership_requests',
    error: 'session_error',
    summary: 'Who asked to join a group in approval mode (admins only).',
  },
  approve_membership_requests: {
    payload: s.membershipActionSchema,
    success: 'membership_requests_handled',
    error: 'session_error',
    summary: 'Let people who asked join (all waiting when none are named; admins only); answers per requester.',
  },
  reject_membership_requests: {
    payload: s.membershipActionSchema,
    success: 'membership_requests_handled',
    error: 'session_error',
    summary: 'Turn down requests to join (all waiting when none are named; admins only); answers per requester.',
  },
  sandbox_membership_request: {
    payload: s.simulateMembershipRequestSchema,
    success: 'group_membership_request',
    error: 'session_error',
    summary:
      'Sandbox engine only: someone asks to join a group of this account through its link (the group is in approval mode from then on).',
  },
} as const satisfies RequestSpecs;
