/** Groups (issue 15): create, read, change, participants, leave, common groups, and the group events. */
import { z } from 'zod';
import { sessionIdSchema } from './common';
import { chatAddress, loggedEvent } from './fields';
import { inlineMediaSchema } from './sending';

/**
 * Why one number was not added, removed, promoted or demoted:
 * - `not_on_whatsapp`: the number has no account;
 * - `already_participant` (add): it is in the group already;
 * - `not_participant` (remove, promote, demote): it is not in the group;
 * - `invite_required` (add): its privacy settings only allow an invite (WhatsApp's 403);
 * - `recently_left` (add): it left the group recently (WhatsApp's 408);
 * - `group_full` (add): the group reached GROUP_SIZE_LIMIT (WhatsApp's 419);
 * - `not_allowed`: WhatsApp refused it for another reason (e.g. the creator cannot be removed or demoted).
 */
export const PARTICIPANT_FAILURES = [
  'not_on_whatsapp',
  'already_participant',
  'not_participant',
  'invite_required',
  'recently_left',
  'group_full',
  'not_allowed',
] as const;
/** WhatsApp's limits: a group name (subject) of 100 characters, a description of 2048, 1024 participants. */
const GROUP_NAME_MAX_LENGTH = 100;
const GROUP_DESCRIPTION_MAX_LENGTH = 2048;
/** The same as GROUP_SIZE_LIMIT (engines/capabilities/groups.ts): 1024 with the account. */
const PARTICIPANTS_MAX = 1024;

const groupIdSchema = z
  .string()
  .min(1)
  .max(128)
  .describe('The group id, …@g.us (group_created.groupId, message_received.chatId of a group message).');

const groupRef = { sessionId: sessionIdSchema, groupId: groupIdSchema };

const participantList = z
  .array(chatAddress)
  .min(1)
  .max(PARTICIPANTS_MAX)
  .describe('Numbers with country code (or …@c.us ids); each is answered on its own.');

const participantFailure = z
  .enum(PARTICIPANT_FAILURES)
  .describe(
    'not_on_whatsapp; already_participant (add); not_participant (remove, promote, demote); invite_required (add: their privacy settings allow only an invite); recently_left (add); group_full (add: 1024 participants); not_allowed (WhatsApp refused, e.g. the creator cannot be removed or demoted).',
  );

export const createGroupSchema = z.object({
  sessionId: sessionIdSchema,
  name: z.string().trim().min(1).max(GROUP_NAME_MAX_LENGTH).describe('The group name (subject).'),
  participants: z
    .array(chatAddress)
    .max(PARTICIPANTS_MAX - 1)
    .describe('Who to add besides this account, which becomes the group super admin.'),
});

export const groupCreatedSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  name: z.string(),
  failed: z
    .array(z.object({ participant: z.string().describe('As given in the request.'), reason: participantFailure }))
    .describe('Who could not be added; the group exists with everybody else.'),
});

export const groupInfoRequestSchema = z.object(groupRef);

const participantSchema = z.object({
  id: z.string().describe('Number, or LID (…@lid) when WhatsApp does not show it.'),
  isAdmin: z.boolean(),
  isSuperAdmin: z.boolean().describe('The group creator; a super admin is also an admin.'),
});

const groupSettingsSchema = z.object({
  messagesAdminsOnly: z.boolean().describe('Only admins may send messages.'),
  infoAdminsOnly: z.boolean().describe("Only admins may edit the group's name, description and picture."),
});

export const groupInfoSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  owner: z.string().nullable().describe('Number of the creator; null when WhatsApp no longer tells.'),
  createdAt: z.number().int().describe('Milliseconds since the epoch.'),
  participants: z.array(participantSchema),
  settings: groupSettingsSchema,
  inviteLink: z.string().nullable().describe('https://chat.whatsapp.com/<code> when this account is an admin; null otherwise.'),
});

export const updateGroupSchema = z
  .object({
    ...groupRef,
    name: z.string().trim().min(1).max(GROUP_NAME_MAX_LENGTH).optional(),
    description: z.string().max(GROUP_DESCRIPTION_MAX_LENGTH).optional().describe('"" clears it.'),
    messagesAdminsOnly: z.boolean().optional(),
    infoAdminsOnly: z.boolean().optional(),
  })
  .describe('Give at least one of name, description, messagesAdminsOnly, infoAdminsOnly (invalid_payload otherwise).');

const groupChangesSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  messagesAdminsOnly: z.boolean().optional(),
  infoAdminsOnly: z.boolean().optional(),
  picture: z.literal(true).optional().describe('The picture was set or changed.'),
});

export const groupUpdateAppliedSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  changes: groupChangesSchema.omit({ picture: true }).describe('What the request changed (the fields it gave).'),
});

export const setGroupPictureSchema = z.object({
  ...groupRef,
  media: z
    .union([z.string().min(1), inlineMediaSchema])
    .describe(
      'An image, with the same rules as sending one: a path inside MEDIA_DIR; or, when enabled, an https:// URL, a data: URL or { data, mimetype }.',
    ),
});

export const groupPictureSetSchema = z.object({ sessionId: z.string(), groupId: z.string() });

export const participantsRequestSchema = z.object({ ...groupRef, participants: participantList });

export const participantsResultSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  action: z.enum(['add', 'remove', 'promote', 'demote']),
  results: z
    .array(
      z.object({ participant: z.string().describe('As given in the request.'), ok: z.boolean(), reason: participantFailure.optional() }),
    )
    .describe('One per number, in the order asked; `reason` when not ok.'),
});

export const leaveGroupSchema = z.object(groupRef);

export const groupLeftSchema = z.object({ sessionId: z.string(), groupId: z.string() });

export const commonGroupsRequestSchema = z.object({ sessionId: sessionIdSchema, contactId: chatAddress });

export const commonGroupsSchema = z.object({
  sessionId: z.string(),
  contactId: z.string().describe('As given in the request.'),
  groupIds: z.array(z.string()),
});

const GROUP_PARTICIPANT_ACTIONS = ['add', 'remove', 'promote', 'demote', 'leave', 'join'] as const;

export const groupParticipantsChangedSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  action: z
    .enum(GROUP_PARTICIPANT_ACTIONS)
    .describe('add/remove/promote/demote: by an admin (`by`); join: by invite link; leave: they left themselves.'),
  participants: z.array(z.string()).describe("Numbers (or LIDs) of those it concerns; this account's number when it is about it."),
  by: z.string().nullable().describe("Who did it (this account's number for its own changes); null when WhatsApp does not say."),
  ...loggedEvent,
});

export const groupUpdatedSchema = z.object({
  sessionId: z.string(),
  groupId: z.string(),
  changes: groupChangesSchema.describe('What changed, with the new values; empty when the value could not be read (see valueNotRead).'),
  valueNotRead: z
    .enum(['description', 'messagesAdminsOnly', 'infoAdminsOnly'])
    .optional()
    .describe(
      "Set only when this setting changed but its new value could not be read: WhatsApp Web's notification carries none, and the group could not be read again. `changes` is then empty; ask `get_group_info`.",
    ),
  by: z.string().nullable().describe("Who changed it (this account's number for its own changes); null when WhatsApp does not say."),
  ...loggedEvent,
});

// sandbox simulation (issue 15): what other people do in a group
export const simulateGroupEventSchema = z.object({
  ...groupRef,
  action: z.enum(GROUP_PARTICIPANT_ACTIONS),
  participants: participantList,
  by: chatAddress.optional().describe('Who does it (add, remove, promote, demote): a participant and admin of the group.'),
});

export const simulateAddedToGroupSchema = z.object({
  sessionId: sessionIdSchema,
  name: z.string().trim().min(1).max(GROUP_NAME_MAX_LENGTH),
  by: chatAddress.describe('Who creates the group (its super admin) and adds this account to it.'),
  participants: z
    .array(chatAddress)
    .max(PARTICIPANTS_MAX - 2)
    .default([])
    .describe('Who else is in it.'),
});
