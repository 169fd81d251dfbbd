/**
 * Group invites and membership requests (issue 15). Group ids are `…@g.us`, person ids `…@c.us` or
 * `…@lid`, codes bare (the session layer took them out of links), all already validated.
 *
 * Refusals (GatewayError codes): `group_not_found`, `not_group_participant`, `not_group_admin` (the
 * invite link and membership requests are an admin's), `invalid_invite` (a code WhatsApp does not
 * accept: malformed, revoked or expired), `group_full` (joining would pass the participant limit).
 * Outcomes of approving or rejecting are answered per requester, not thrown.
 */
import type { z } from 'zod';
import type {
  groupMembershipRequestSchema,
  inviteInfoSchema,
  membershipOutcomeSchema,
  membershipRequestSchema,
} from '../../protocol/schemas';

/** What WhatsApp tells about the group of a code before joining. */
export type InviteInfo = Omit<z.infer<typeof inviteInfoSchema>, 'sessionId' | 'code'>;

export interface JoinOutcome {
  groupId: string;
  /** `requested`: the group is in approval mode and its admins were asked. */
  status: 'joined' | 'requested';
}

export type MembershipRequest = z.infer<typeof membershipRequestSchema>;
export type MembershipOutcome = z.infer<typeof membershipOutcomeSchema>;
export type MembershipAction = 'approve' | 'reject';

/** What the engine reports when someone asks to join (group_membership_request, without the session's fields). */
export type MembershipRequestReport = Omit<z.infer<typeof groupMembershipRequestSchema>, 'sessionId' | 'seq' | 'replayed'>;

export interface GroupInvites {
  /** The current code (admins only). */
  getInviteCode(groupId: string): Promise<string>;
  /** Revokes the current code; resolves with the new one (admins only). */
  revokeInviteCode(groupId: string): Promise<string>;
  getInviteInfo(code: string): Promise<InviteInfo>;
  join(code: string): Promise<JoinOutcome>;
  /** Admins only. */
  membershipRequests(groupId: string): Promise<MembershipRequest[]>;
  /** Admins only; `requesters` undefined: everyone waiting. One outcome per requester. */
  handleMembershipRequests(groupId: string, action: MembershipAction, requesters?: string[]): Promise<MembershipOutcome[]>;
}

/** The sandbox's other side for invites: only engines that simulate WhatsApp have it. */
export interface GroupInviteSimulation {
  /** `requesterId` asks to join the group through its link; reported through the listener and answered. */
  requestMembership(groupId: string, requesterId: string): MembershipRequestReport;
}
