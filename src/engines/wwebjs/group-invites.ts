/**
 * Group invites and membership requests (issue 15) through whatsapp-web.js's own calls: GroupChat
 * getInviteCode / revokeInvite, Client getInviteInfo / acceptInvite, getGroupMembershipRequests and
 * approve/rejectGroupMembershipRequests, and the library's `group_membership_request` event.
 *
 * The library hands on WhatsApp's refusals unnamed (a minified error, wwebjs #106165), so refusals are
 * decided from what the page tells before the call: the group's participants and their admin flags,
 * and the invite's own info (its size, its approval mode). A query WhatsApp refuses for a code is
 * `invalid_invite`: it answers one only for a code it does not accept (406 malformed, 410 revoked, as
 * whatsmeow's GetGroupInfoFromLink reads them).
 */
import type wwebjs from 'whatsapp-web.js';
import { toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { MembershipRequestMethod } from '../../protocol/schemas';
import type {
  GroupInvites,
  InviteInfo,
  JoinOutcome,
  MembershipAction,
  MembershipOutcome,
  MembershipRequest,
} from '../capabilities/group-invites';
import { GROUP_SIZE_LIMIT } from '../capabilities/groups';
import type { EngineListener } from '../engine';
import type { ClientLike } from './client';
import type { ClientCalls } from './client-calls';
import { administeredGroup } from './group-access';
import type { HandleEvent } from './incoming-events';

/** The library waits 250–500 ms between two requesters (its default `sleep`); the call's time limit grows with them. */
const PER_REQUESTER_MS = 500;

export class WwebjsGroupInvites implements GroupInvites {
  constructor(
    private readonly calls: ClientCalls,
    private readonly listener: EngineListener,
  ) {}

  getInviteCode(groupId: string): Promise<string> {
    return this.calls.run('invite code', async (client) => {
      const chat = await administeredGroup(client, groupId, 'see its invite link');
      const code = await chat.getInviteCode();
      if (!code)
        throw new GatewayError('not_group_admin', `WhatsApp did not give the invite code of ${groupId}: only its admins may see it`);
      return code;
    });
  }

  revokeInviteCode(groupId: string): Promise<string> {
    return this.calls.run('invite revoke', async (client) => {
      const chat = await administeredGroup(client, groupId, 'revoke its invite link');
      // Typed Promise<void>, but 1.34.7 resolves with the new code.
      const revoked: unknown = await chat.revokeInvite();
      const code = typeof revoked === 'string' && revoked ? revoked : await chat.getInviteCode();
      if (!code)
        throw new GatewayError('engine_error', `WhatsApp Web may have revoked the invite link of ${groupId}, but gave no new code`);
      return code;
    });
  }

  getInviteInfo(code: string): Promise<InviteInfo> {
    return this.calls.run('invite info', (client) => inviteInfoOf(client, code));
  }

  join(code: string): Promise<JoinOutcome> {
    return this.calls.run(
      'group join',
      async (client) => {
        const info = await inviteInfoOf(client, code);
        if (info.size >= GROUP_SIZE_LIMIT)
          throw new GatewayError('group_full', `${info.groupId} has reached WhatsApp's ${GROUP_SIZE_LIMIT} participants`);
        const groupId = await client.acceptInvite(code);
        return { groupId: groupId || info.groupId, status: info.membershipApproval ? 'requested' : 'joined' };
      },
      this.calls.limits.sendMs,
    );
  }

  membershipRequests(groupId: string): Promise<MembershipRequest[]> {
    return this.calls.run('membership requests', async (client) => {
      await administeredGroup(client, groupId, 'see who asks to join');
      return (await client.getGroupMembershipRequests(groupId)).map(toMembershipRequest);
    });
  }

  async handleMembershipRequests(groupId: string, action: MembershipAction, requesters?: string[]): Promise<MembershipOutcome[]> {
    const asked = requesters ?? (await this.membershipRequests(groupId)).map((request) => request.requester);
    if (!asked.length) return [];
    const requesterIds = asked.map(personId);
    const ms = this.calls.limits.callMs + PER_REQUESTER_MS * requesterIds.length;
    const results = await this.calls.run(
      `membership ${action}`,
      async (client) => {
        await administeredGroup(client, groupId, `${action} requests to join`);
        const options = { requesterIds, sleep: [250, 500] };
        return action === 'approve'
          ? client.approveGroupMembershipRequests(groupId, options)
          : client.rejectGroupMembershipRequests(groupId, options);
      },
      ms,
    );
    return requesterIds.map((id) =>
      toOutcome(
        id,
        results.find((result) => result.requesterId === id),
      ),
    );
  }

  /** The library's `group_membership_request`: someone asks to join a group in approval mode. */
  listen(client: ClientLike, handle: HandleEvent): void {
    client.on('group_membership_request', (notification) =>
      handle(() =>
        this.listener.onMembershipRequest({
          groupId: notification.chatId,
          requester: toPublicAddress(notification.author),
          timestamp: notification.timestamp * 1000,
        }),
      ),
    );
  }
}

/** What WhatsApp's invite query (WAWebGroupQueryJob.queryGroupInvite) answers, as far as the gateway reads it. */
interface LibraryInviteInfo {
  id?: WidLike;
  subject?: string;
  desc?: string;
  owner?: WidLike;
  creation?: number;
  size?: number;
  membershipApprovalMode?: boolean;
}
type WidLike = string | { _serialized?: string } | null | undefined;

const serialized = (wid: WidLike): string | undefined => (typeof wid === 'string' ? wid : wid?._serialized);

async function inviteInfoOf(client: ClientLike, code: string): Promise<InviteInfo> {
  let info: LibraryInviteInfo;
  try {
    info = (await client.getInviteInfo(code)) as LibraryInviteInfo;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new GatewayError('invalid_invite', `WhatsApp does not accept the invite code ${code} (malformed, revoked or expired: ${detail})`);
  }
  const groupId = serialized(info.id);
  if (!groupId) throw new GatewayError('engine_error', `WhatsApp Web answered the invite query for ${code} without a group`);
  const owner = serialized(info.owner);
  return {
    groupId,
    name: info.subject ?? '',
    description: info.desc || null,
    owner: owner ? toPublicAddress(owner) : null,
    createdAt: info.creation ? info.creation * 1000 : null,
    size: info.size ?? 0,
    membershipApproval: info.membershipApprovalMode === true,
  };
}

const METHODS: Record<string, MembershipRequestMethod> = {
  InviteLink: 'invite_link',
  NonAdminAdd: 'non_admin_add',
  LinkedGroupJoin: 'linked_group_join',
};

function toMembershipRequest(request: wwebjs.GroupMembershipRequest): MembershipRequest {
  const method = METHODS[request.requestMethod] ?? 'other';
  const addedBy = serialized(request.addedBy as WidLike);
  return {
    requester: toPublicAddress(serialized(request.id as WidLike) ?? ''),
    method,
    ...(method === 'non_admin_add' && addedBy && { addedBy: toPublicAddress(addedBy) }),
    requestedAt: request.t * 1000,
  };
}

/** Numbers as the API gives them become person ids; ids stay. */
const personId = (requester: string): string => (requester.includes('@') ? requester : `${requester}@c.us`);

/** The library's codes (Utils.js membershipRequestAction): 400/404 no such request, 412/500 a resource limit. */
function toOutcome(requesterId: string, result: wwebjs.MembershipRequestActionResult | undefined): MembershipOutcome {
  const requester = toPublicAddress(requesterId);
  if (!result) return { requester, ok: false, reason: 'unconfirmed' };
  if (result.error === undefined && result.message !== 'ServerStatusCodeError') return { requester, ok: true };
  if (result.error === 400 || result.error === 404) return { requester, ok: false, reason: 'no_request' };
  if (result.error === 412 || result.error === 500) return { requester, ok: false, reason: 'group_full' };
  return { requester, ok: false, reason: 'refused' };
}
