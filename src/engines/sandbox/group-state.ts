/**
 * The sandbox's groups of one session (issue 15), in memory for the session's run: what it created, and
 * what it learned of others. The group requests (groups.ts) and invites build on these records and helpers;
 * see docs/sandbox.md. Ids are person ids (`…@c.us`); the account is `me`.
 */
import { createHash } from 'node:crypto';
import { GatewayError } from '../../protocol/errors';
import { inviteLinkOf } from '../../protocol/invite-code';
import type { GroupInfo, GroupParticipant, GroupSettings } from '../capabilities/groups';

export interface SandboxGroup {
  id: string;
  name: string;
  /** "" when none was set. */
  description: string;
  /** The creator's id. */
  owner: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** In the order they joined; the creator first. */
  participants: GroupParticipant[];
  settings: GroupSettings;
  /** How many pictures were set (0: none); the sandbox keeps no picture bytes. */
  pictureVersion: number;
  /** The current invite code (`https://chat.whatsapp.com/<code>`); a revoke replaces it. */
  inviteCode: string;
}

/** The groups one sandbox session knows, by id. */
export class SandboxGroupState {
  private readonly groups = new Map<string, SandboxGroup>();
  private created = 0;

  constructor(private readonly sessionId: string) {}

  /** A new group with `owner` as its super admin and `others` as plain participants. */
  create(name: string, owner: string, others: string[]): SandboxGroup {
    this.created += 1;
    const group: SandboxGroup = {
      id: sandboxGroupId(this.sessionId, this.created),
      name,
      description: '',
      owner,
      createdAt: Date.now(),
      participants: [superAdmin(owner), ...others.map(plainParticipant)],
      settings: { messagesAdminsOnly: false, infoAdminsOnly: false },
      pictureVersion: 0,
      inviteCode: sandboxInviteCode(this.sessionId, this.created, 0),
    };
    this.groups.set(group.id, group);
    return group;
  }

  /** Adds a group made elsewhere (e.g. one joined by invite). */
  put(group: SandboxGroup): void {
    this.groups.set(group.id, group);
  }

  get(groupId: string): SandboxGroup | undefined {
    return this.groups.get(groupId);
  }

  /** The group, or `group_not_found`. */
  require(groupId: string): SandboxGroup {
    const group = this.groups.get(groupId);
    if (!group) throw new GatewayError('group_not_found', `the sandbox has no group ${groupId}`);
    return group;
  }

  all(): SandboxGroup[] {
    return [...this.groups.values()];
  }
}

/** Deterministic: the n-th group a session creates always gets the same id, `120363` and 12 digits like WhatsApp's. */
function sandboxGroupId(sessionId: string, n: number): string {
  const digits = createHash('sha256').update(`${sessionId}:group:${n}`).digest().readBigUInt64BE(0) % 10n ** 12n;
  return `120363${String(digits).padStart(12, '0')}@g.us`;
}

/** Deterministic too: invite code number `revision` (0, 1, … after revokes) of the n-th group; 22 characters like WhatsApp's. */
function sandboxInviteCode(sessionId: string, n: number, revision: number): string {
  return createHash('sha256').update(`${sessionId}:group:${n}:invite:${revision}`).digest('base64url').slice(0, 22);
}

export const plainParticipant = (id: string): GroupParticipant => ({ id, isAdmin: false, isSuperAdmin: false });
export const superAdmin = (id: string): GroupParticipant => ({ id, isAdmin: true, isSuperAdmin: true });

export function participantOf(group: SandboxGroup, id: string): GroupParticipant | undefined {
  return group.participants.find((participant) => participant.id === id);
}

export const isParticipant = (group: SandboxGroup, id: string): boolean => participantOf(group, id) !== undefined;
export const isAdmin = (group: SandboxGroup, id: string): boolean => participantOf(group, id)?.isAdmin === true;

/** `not_group_participant` unless `me` is in the group. */
export function requireParticipant(group: SandboxGroup, me: string): void {
  if (!isParticipant(group, me)) throw new GatewayError('not_group_participant', `this account is not a participant of ${group.id}`);
}

/** `not_group_participant` or `not_group_admin` unless `me` administers the group. */
export function requireAdmin(group: SandboxGroup, me: string, what: string): void {
  requireParticipant(group, me);
  if (!isAdmin(group, me)) throw new GatewayError('not_group_admin', `only an admin of ${group.id} may ${what}`);
}

/** Changing name, description or picture: anyone, unless the group lets only admins edit its info. */
export function requireInfoEditor(group: SandboxGroup, me: string): void {
  if (group.settings.infoAdminsOnly) requireAdmin(group, me, "edit this group's info");
  else requireParticipant(group, me);
}

/** The group as get_group_info answers it; the invite link only for an admin. */
export function groupInfoOf(group: SandboxGroup, me: string): GroupInfo {
  return {
    id: group.id,
    name: group.name,
    description: group.description || null,
    owner: group.owner,
    createdAt: group.createdAt,
    participants: group.participants.map((participant) => ({ ...participant })),
    settings: { ...group.settings },
    inviteLink: isAdmin(group, me) ? inviteLinkOf(group.inviteCode) : null,
  };
}
