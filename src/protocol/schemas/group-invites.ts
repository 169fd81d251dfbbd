/** Group invites and membership requests (issue 15), with their answers and the group_membership_request event. */
import { z } from 'zod';
import { sessionIdSchema } from './common';
import { chatAddress, loggedEvent } from './fields';

const groupId = z.string().min(1).max(128).describe('The group id (…@g.us).');

/** A bare code or a link; a string that is neither is refused `invalid_invite`, anything else `invalid_payload`. */
const inviteText = z.string().min(1).max(512);

export const groupRefSchema = z.object({ sessionId: sessionIdSchema, groupId });

export const inviteRefSchema = z
  .object({
    sessionId: sessionIdSchema,
    code: inviteText.optional().describe('The invite code (or its link: both forms are accepted in either field).'),
    link: inviteText.optional().describe('The link https://chat.whatsapp.com/<code> (or the bare code).'),
  })
  .refine((payload) => (payload.code === undefined) !== (payload.link === undefined), {
    message: 'give exactly one of code or link',
    path: ['code'],
  })
  .meta({ oneOf: [{ required: ['code'] }, { required: ['link'] }] });

export const membershipActionSchema = z.object({
  sessionId: sessionIdSchema,
  groupId,
  requesters: z
    .array(chatAddress)
    .min(1)
    .max(1024)
    .optional()
    .describe('Numbers (or ids) of people who asked to join; omitted: everyone waiting.'),
});

export const inviteLinkSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  code: z.string(),
  link: z.string().describe('https://chat.whatsapp.com/<code>'),
});

export const inviteInfoSchema = z.object({
  sessionId: z.string(),
  code: z.string().describe('The invite code asked about (taken out of the link when a link was given).'),
  groupId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  owner: z.string().nullable().describe('Who created the group, when WhatsApp tells.'),
  createdAt: z.number().int().nullable().describe('Milliseconds since the epoch, when WhatsApp tells.'),
  size: z.number().int().describe('How many participants the group has.'),
  membershipApproval: z
    .boolean()
    .describe('An admin must approve whoever joins through the link (join_group_by_invite answers `requested`).'),
});

export const groupJoinedSchema = z.object({
  sessionId: z.string(),
  code: z.string(),
  groupId: z.string(),
  status: z
    .enum(['joined', 'requested'])
    .describe('`joined`: the account is a participant now; `requested`: the group wants an admin to approve, who has been asked.'),
});

const MEMBERSHIP_REQUEST_METHODS = ['invite_link', 'non_admin_add', 'linked_group_join', 'other'] as const;
export type MembershipRequestMethod = (typeof MEMBERSHIP_REQUEST_METHODS)[number];

export const membershipRequestSchema = z.object({
  requester: z.string().describe('Who asks: their number, or their LID (…@lid) when WhatsApp does not tell the number.'),
  method: z
    .enum(MEMBERSHIP_REQUEST_METHODS)
    .describe('How they asked: through the link, added by a participant who is no admin, or from a linked community group.'),
  addedBy: z.string().optional().describe('For non_admin_add: the participant who added them.'),
  requestedAt: z.number().int().describe('Milliseconds since the epoch.'),
});

export const membershipRequestsSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  requests: z.array(membershipRequestSchema),
});

/**
 * Why a request was not approved or rejected: `no_request` (nobody by that number is waiting),
 * `group_full` (approving would pass the participant limit), `refused` (WhatsApp refused it for another
 * reason), `unconfirmed` (WhatsApp Web gave no answer for them: it may or may not have been done).
 */
const MEMBERSHIP_FAILURES = ['no_request', 'group_full', 'refused', 'unconfirmed'] as const;

export const membershipOutcomeSchema = z.union([
  z.object({ requester: z.string(), ok: z.literal(true) }),
  z.object({ requester: z.string(), ok: z.literal(false), reason: z.enum(MEMBERSHIP_FAILURES) }),
]);

export const membershipResultSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  action: z.enum(['approve', 'reject']),
  results: z
    .array(membershipOutcomeSchema)
    .describe('One per requester, in the order asked (or the order they asked in, when none were named).'),
});

export const groupMembershipRequestSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  requester: z.string().describe('Who asks to join: their number, or their LID (…@lid) when WhatsApp does not tell the number.'),
  timestamp: z.number().int().describe('When they asked, milliseconds since the epoch.'),
  ...loggedEvent,
});

export const simulateMembershipRequestSchema = z.object({
  sessionId: sessionIdSchema,
  groupId,
  requester: chatAddress.describe('The number asking to join through the group link.'),
});
