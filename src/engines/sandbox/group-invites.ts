/**
 * Group invites and membership requests in the sandbox (issue 15), on the session's group state
 * (group-state.ts). Invite codes of the session's own groups name them; a revoke replaces a code with
 * one derived from it, and the old one is refused `invalid_invite` for the rest of the run. Any other
 * well-formed code names someone else's group (invited-groups.ts). Approval mode and the requests
 * waiting are kept here, per group, for the run: the group model has no such flag, and the library
 * cannot switch it (only a phone can), so a group is in approval mode once someone asked to join it
 * (sandbox_membership_request). See docs/sandbox.md, "Group invites".
 */
import { createHash } from 'node:crypto';
import { toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import { GROUP_SIZE_LIMIT } from '../capabilities/groups';
import type {
  GroupInvites,
  GroupInviteSimulation,
  InviteInfo,
  JoinOutcome,
  MembershipAction,
  MembershipOutcome,
  MembershipRequest,
  MembershipRequestReport,
} from '../capabilities/group-invites';
import { invitedGroup, type InvitedGroup } from './invited-groups';
import { isAdmin, isParticipant, plainParticipant, requireAdmin, type SandboxGroup } from './group-state';
import type { SandboxContext } from './sandbox-session';

export class SandboxGroupInvites implements GroupInvites, GroupInviteSimulation {
  private readonly revoked = new Set<string>();
  /** Requests waiting, by group id, in the order they came. */
  private readonly waiting = new Map<string, Map<string, MembershipRequest>>();

  constructor(private readonly session: SandboxContext) {}

  private get me(): string {
    return `${this.session.account.phoneNumber}@c.us`;
  }

  private administered(groupId: string, what: string): SandboxGroup {
    const group = this.session.groupState.require(groupId);
    requireAdmin(group, this.me, what);
    return group;
  }

  async getInviteCode(groupId: string): Promise<string> {
    return this.administered(groupId, 'see its invite link').inviteCode;
  }

  async revokeInviteCode(groupId: string): Promise<string> {
    const group = this.administered(groupId, 'revoke its invite link');
    this.revoked.add(group.inviteCode);
    group.inviteCode = createHash('sha256').update(`${group.id}:revoke:${group.inviteCode}`).digest('base64url').slice(0, 22);
    return group.inviteCode;
  }

  async getInviteInfo(code: string): Promise<InviteInfo> {
    const { group, size, membershipApproval } = this.resolve(code);
    const { id: groupId, name, description, owner, createdAt } = group;
    return { groupId, name, description: description || null, owner, createdAt, size, membershipApproval };
  }

  async join(code: string): Promise<JoinOutcome> {
    const { group, size, membershipApproval } = this.resolve(code);
    const joined: JoinOutcome = { groupId: group.id, status: 'joined' };
    if (isParticipant(group, this.me)) return joined;
    if (size >= GROUP_SIZE_LIMIT)
      throw new GatewayError('group_full', `${group.id} has reached WhatsApp's ${GROUP_SIZE_LIMIT} participants`);
    if (membershipApproval) return { groupId: group.id, status: 'requested' };
    group.participants.push(plainParticipant(this.me));
    this.session.groupState.put(group);
    return joined;
  }

  async membershipRequests(groupId: string): Promise<MembershipRequest[]> {
    this.administered(groupId, 'see who asks to join');
    return [...(this.waiting.get(groupId)?.values() ?? [])];
  }

  async handleMembershipRequests(groupId: string, action: MembershipAction, requesters?: string[]): Promise<MembershipOutcome[]> {
    const group = this.administered(groupId, `${action} requests to join`);
    const waiting = this.waiting.get(groupId) ?? new Map<string, MembershipRequest>();
    return (requesters ?? [...waiting.keys()]).map((requester) => this.settle(group, waiting, action, requester));
  }

  private settle(
    group: SandboxGroup,
    waiting: Map<string, MembershipRequest>,
    action: MembershipAction,
    requester: string,
  ): MembershipOutcome {
    if (!waiting.has(requester)) return { requester, ok: false, reason: 'no_request' };
    if (action === 'approve') {
      if (group.participants.length >= GROUP_SIZE_LIMIT) return { requester, ok: false, reason: 'group_full' };
      group.participants.push(plainParticipant(requester));
    }
    waiting.delete(requester);
    return { requester, ok: true };
  }

  requestMembership(groupId: string, requesterId: string): MembershipRequestReport {
    const group = this.session.groupState.require(groupId);
    if (isParticipant(group, requesterId))
      throw new GatewayError('invalid_payload', `${requesterId} is a participant of ${groupId} already`);
    const request: MembershipRequest = { requester: requesterId, method: 'invite_link', requestedAt: Date.now() };
    this.waitingIn(groupId).set(requesterId, request);
    const report = { groupId, requester: toPublicAddress(requesterId), timestamp: request.requestedAt };
    if (isAdmin(group, this.me)) this.session.listener.onMembershipRequest(report); // WhatsApp tells the admins
    return report;
  }

  /** Only a request to join makes a group's waiting list (and so its approval mode); reading it does not. */
  private waitingIn(groupId: string): Map<string, MembershipRequest> {
    let waiting = this.waiting.get(groupId);
    if (!waiting) this.waiting.set(groupId, (waiting = new Map()));
    return waiting;
  }

  /** The group a code names; `invalid_invite` for a revoked one. */
  private resolve(code: string): InvitedGroup {
    const own = this.session.groupState.all().find((group) => group.inviteCode === code);
    if (own) return { group: own, size: own.participants.length, membershipApproval: this.waiting.has(own.id) };
    const invited = this.revoked.has(code) ? undefined : invitedGroup(code);
    if (!invited) throw new GatewayError('invalid_invite', `the invite code ${code} was revoked or has expired`);
    const known = this.session.groupState.get(invited.group.id);
    return known ? { ...invited, group: known } : invited;
  }
}
