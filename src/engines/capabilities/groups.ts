/**
 * Groups (issue 15): what a connected engine session does with WhatsApp groups. Group ids are
 * `…@g.us`, participant ids person ids (`…@c.us`), already validated by the session layer.
 *
 * Refusals (GatewayError codes): `group_not_found` (no such group, or not a group), `not_group_participant`
 * (the account is not, or no longer, in it), `not_group_admin` (the change needs an admin). Per-number
 * outcomes of participant changes are answered, not thrown: one number failing does not fail the others.
 */
import type { PARTICIPANT_FAILURES } from '../../protocol/schemas';
import type { MediaFile } from './messaging';

/** WhatsApp's participant limit for a group (the account included), since 2022 (WhatsApp blog, "1024 members"). */
export const GROUP_SIZE_LIMIT = 1024;

export interface GroupParticipant {
  /** A person id (`…@c.us`), or a LID (`…@lid`) when WhatsApp hides the number. */
  id: string;
  isAdmin: boolean;
  /** The group's creator (WhatsApp's "superadmin"); a super admin is also an admin. */
  isSuperAdmin: boolean;
}

export interface GroupSettings {
  /** Only admins may send messages ("announcement" group). */
  messagesAdminsOnly: boolean;
  /** Only admins may edit the group's name, description and picture ("restrict"). */
  infoAdminsOnly: boolean;
}

export interface GroupInfo {
  id: string;
  name: string;
  description: string | null;
  /** The creator's id, null when WhatsApp no longer tells (the creator left). */
  owner: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  participants: GroupParticipant[];
  settings: GroupSettings;
  /** `https://chat.whatsapp.com/<code>`, only when this account is an admin. */
  inviteLink: string | null;
}

/** Why one number was not added, removed, promoted or demoted: PARTICIPANT_FAILURES (protocol/schemas/groups.ts). */
export type ParticipantFailure = (typeof PARTICIPANT_FAILURES)[number];

/** The outcome for one number, in the order asked. */
export type ParticipantOutcome = { participant: string; ok: true } | { participant: string; ok: false; reason: ParticipantFailure };

export interface CreatedGroup {
  groupId: string;
  /** The numbers that could not be added, each with its reason; the group exists without them. */
  failed: Array<{ participant: string; reason: ParticipantFailure }>;
}

export interface GroupUpdate {
  name?: string;
  description?: string;
  messagesAdminsOnly?: boolean;
  infoAdminsOnly?: boolean;
}

export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';

export interface Groups {
  create(name: string, participants: string[]): Promise<CreatedGroup>;
  getInfo(groupId: string): Promise<GroupInfo>;
  /** Needs admin when `infoAdminsOnly` is on, and always for the two settings. */
  update(groupId: string, update: GroupUpdate): Promise<void>;
  /** Needs admin when `infoAdminsOnly` is on. The media is an image (the session layer checked its type). */
  setPicture(groupId: string, media: MediaFile): Promise<void>;
  /** Needs admin; answers per number. */
  changeParticipants(groupId: string, action: ParticipantAction, participants: string[]): Promise<ParticipantOutcome[]>;
  leave(groupId: string): Promise<void>;
  /** Ids of the groups this account shares with a person. */
  commonGroups(contactId: string): Promise<string[]>;
}

// ---- events (EngineListener.onGroupParticipantsChanged / onGroupUpdated) ----

/** add/remove/promote/demote: by an admin; join: by invite link; leave: of their own accord. */
export type GroupParticipantsAction = 'add' | 'remove' | 'promote' | 'demote' | 'leave' | 'join';

export interface GroupParticipantsChange {
  groupId: string;
  action: GroupParticipantsAction;
  /** Person ids (or LIDs) it concerns. */
  participants: string[];
  /** Who did it (the account's own id for its own changes); null when WhatsApp does not say. */
  by: string | null;
}

/** What changed in a group, with the new values; `picture` when its picture was set or changed. */
export interface GroupChanges {
  name?: string;
  description?: string;
  messagesAdminsOnly?: boolean;
  infoAdminsOnly?: boolean;
  picture?: true;
}

/** The settings whose new value a notification does not carry: the engine reads the group again for it. */
export type ReadAgainField = 'description' | 'messagesAdminsOnly' | 'infoAdminsOnly';

export interface GroupUpdated {
  groupId: string;
  changes: GroupChanges;
  /** The field that changed when the group could not be read again for its new value (`changes` is then empty). */
  valueNotRead?: ReadAgainField;
  by: string | null;
}

/** The sandbox playing the other members of its groups (sandbox_group_event, sandbox_added_to_group). */
export interface GroupSimulation {
  /** Others act in a group: reported as onGroupParticipantsChanged, and answered with it. */
  groupEvent(groupId: string, action: GroupParticipantsAction, participants: string[], by?: string): GroupParticipantsChange;
  /** `by` creates a group named `name` with `participants` and adds this account to it. */
  addedToGroup(name: string, by: string, participants: string[]): GroupParticipantsChange;
}
