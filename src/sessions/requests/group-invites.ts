/**
 * get_invite_link, revoke_invite_link, join_group_by_invite, get_invite_info and the membership
 * requests (issue 15). Codes and links are both accepted in `code` and `link`; what is neither is
 * `invalid_invite` (protocol/invite-code.ts). See docs/decisions.md, "Group invites and membership requests".
 */
import { toChatId, toGroupId, toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import { inviteLinkOf, toInviteCode } from '../../protocol/invite-code';
import type { GroupInvites, GroupInviteSimulation } from '../../engines/capabilities/group-invites';
import type { SessionManager } from '../session-manager';
import { engineCall } from './engine-call';

type MembershipRequestName = 'approve_membership_requests' | 'reject_membership_requests';

export class GroupInviteRequests {
  constructor(private readonly manager: SessionManager) {}

  async getInviteLink({ sessionId, groupId }: RequestPayload<'get_invite_link'>): Promise<RequestResult<'get_invite_link'>> {
    const invites = this.invitesOf(sessionId);
    const code = await engineCall(() => invites.getInviteCode(toGroupId(groupId)));
    return { sessionId, groupId, code, link: inviteLinkOf(code) };
  }

  async revokeInviteLink({ sessionId, groupId }: RequestPayload<'revoke_invite_link'>): Promise<RequestResult<'revoke_invite_link'>> {
    const invites = this.invitesOf(sessionId);
    const code = await engineCall(() => invites.revokeInviteCode(toGroupId(groupId)));
    return { sessionId, groupId, code, link: inviteLinkOf(code) };
  }

  async getInviteInfo(request: RequestPayload<'get_invite_info'>): Promise<RequestResult<'get_invite_info'>> {
    const { sessionId } = request;
    const invites = this.invitesOf(sessionId);
    const code = codeOf(request);
    return { sessionId, code, ...publicInfo(await engineCall(() => invites.getInviteInfo(code))) };
  }

  async join(request: RequestPayload<'join_group_by_invite'>): Promise<RequestResult<'join_group_by_invite'>> {
    const { sessionId } = request;
    const invites = this.invitesOf(sessionId);
    const code = codeOf(request);
    return { sessionId, code, ...(await engineCall(() => invites.join(code))) };
  }

  async membershipRequests({
    sessionId,
    groupId,
  }: RequestPayload<'get_membership_requests'>): Promise<RequestResult<'get_membership_requests'>> {
    const invites = this.invitesOf(sessionId);
    const requests = await engineCall(() => invites.membershipRequests(toGroupId(groupId)));
    const publicRequests = requests.map(({ requester, addedBy, ...rest }) => ({
      ...rest,
      requester: toPublicAddress(requester),
      ...(addedBy && { addedBy: toPublicAddress(addedBy) }),
    }));
    return { sessionId, groupId, requests: publicRequests };
  }

  approve(request: RequestPayload<'approve_membership_requests'>): Promise<RequestResult<'approve_membership_requests'>> {
    return this.handle(request, 'approve');
  }

  reject(request: RequestPayload<'reject_membership_requests'>): Promise<RequestResult<'reject_membership_requests'>> {
    return this.handle(request, 'reject');
  }

  requestMembership({
    sessionId,
    groupId,
    requester,
  }: RequestPayload<'sandbox_membership_request'>): RequestResult<'sandbox_membership_request'> {
    const requesterId = toChatId(requester);
    const report = this.simulationOf(sessionId).requestMembership(toGroupId(groupId), requesterId);
    return { sessionId, ...report, requester: toPublicAddress(report.requester) };
  }

  private async handle(
    { sessionId, groupId, requesters }: RequestPayload<MembershipRequestName>,
    action: 'approve' | 'reject',
  ): Promise<RequestResult<MembershipRequestName>> {
    const invites = this.invitesOf(sessionId);
    const ids = requesters?.map(toChatId);
    const outcomes = await engineCall(() => invites.handleMembershipRequests(toGroupId(groupId), action, ids));
    const results = outcomes.map((outcome) => ({ ...outcome, requester: toPublicAddress(outcome.requester) }));
    return { sessionId, groupId, action, results };
  }

  private invitesOf(sessionId: string): GroupInvites {
    const { groupInvites } = this.manager.get(sessionId).connectedEngine();
    if (!groupInvites) throw new GatewayError('not_supported', 'this engine has no group invites');
    return groupInvites;
  }

  private simulationOf(sessionId: string): GroupInviteSimulation {
    const { groupInviteSimulation } = this.manager.get(sessionId).connectedEngine();
    if (!groupInviteSimulation) throw new GatewayError('not_supported', 'sandbox_membership_request works only with WA_ENGINE=sandbox');
    return groupInviteSimulation;
  }
}

function codeOf({ code, link }: { code?: string; link?: string }): string {
  return toInviteCode(code ?? link ?? '');
}

function publicInfo<T extends { owner: string | null }>(info: T): T {
  return { ...info, owner: info.owner && toPublicAddress(info.owner) };
}
