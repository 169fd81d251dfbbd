/**
 * The groups other people made, as the sandbox's invite codes name them (issue 15, docs/sandbox.md
 * "Group invites"): every well-formed code that is not one of the session's own groups' names a group
 * derived from the code alone, so a test can predict it. A code starting with `Gone` is revoked, with
 * `Full` names a group at WhatsApp's participant limit, with `Ask` a group in approval mode.
 */
import { createHash } from 'node:crypto';
import { GROUP_SIZE_LIMIT } from '../capabilities/groups';
import { plainParticipant, superAdmin, type SandboxGroup } from './group-state';

/** When the sandbox says the others' groups were created (2025-01-01). */
const CREATED_AT = Date.UTC(2025, 0, 1);

export interface InvitedGroup {
  group: SandboxGroup;
  /** How many participants it has (more than `group.participants` for a full one: the sandbox lists three). */
  size: number;
  membershipApproval: boolean;
}

/** The group `code` names, or undefined for a revoked (`Gone…`) code. */
export function invitedGroup(code: string): InvitedGroup | undefined {
  if (code.startsWith('Gone')) return undefined;
  const digits = (salt: string, length: number) =>
    String(createHash('sha256').update(`invite:${code}:${salt}`).digest().readBigUInt64BE(0) % 10n ** BigInt(length)).padStart(length, '0');
  const person = (salt: string) => `628${digits(salt, 9)}@c.us`;
  const owner = person('owner');
  const others = [person('first'), person('second')];
  const group: SandboxGroup = {
    id: `120363${digits('group', 12)}@g.us`,
    name: `Sandbox group ${code.slice(0, 6)}`,
    description: 'A group someone else made (sandbox)',
    owner,
    createdAt: CREATED_AT,
    participants: [superAdmin(owner), ...others.map(plainParticipant)],
    settings: { messagesAdminsOnly: false, infoAdminsOnly: false },
    pictureVersion: 0,
    inviteCode: code,
  };
  const size = code.startsWith('Full') ? GROUP_SIZE_LIMIT : group.participants.length;
  return { group, size, membershipApproval: code.startsWith('Ask') };
}
