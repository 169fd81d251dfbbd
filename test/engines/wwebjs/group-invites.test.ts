/**
 * Group invites and membership requests on the real engine with a fake Client: the exact library
 * calls (GroupChat.getInviteCode/revokeInvite, Client.getInviteInfo/acceptInvite and the membership
 * request calls) and how their results and refusals become our answers and codes.
 */
import type wwebjs from 'whatsapp-web.js';
import { describe, expect, it, vi } from 'vitest';
import type { GroupInvites } from '../../../src/engines/capabilities/group-invites';
import { startedHarnessPerTest } from './session-harness';

const GROUP = '120363000000000001@g.us';
const ME = '15550001234@c.us';
const ASKER = '6281111111111@c.us';
const CODE = 'IpXwAJu4e371zcZdVfvb0w';

const h = startedHarnessPerTest();

const invites = (): GroupInvites => h.session.groupInvites!;
const wid = (id: string) => ({ _serialized: id, user: id.split('@')[0], server: id.split('@')[1] });

/** A GroupChat as getChatById gives it, with this account as `rank`. */
function groupChat(rank: 'admin' | 'member' | 'absent') {
  const participants = [{ id: wid('6289999999999@c.us'), isAdmin: true, isSuperAdmin: true }];
  if (rank !== 'absent') participants.push({ id: wid(ME), isAdmin: rank === 'admin', isSuperAdmin: false });
  const chat = {
    id: wid(GROUP),
    isGroup: true,
    participants,
    getInviteCode: vi.fn(async () => CODE),
    revokeInvite: vi.fn(async () => 'NewCodeNewCodeNewCode1' as unknown as void),
  };
  h.client().getChatById.mockResolvedValue(chat as unknown as wwebjs.GroupChat);
  return chat;
}

const inviteInfo = (overrides: Record<string, unknown> = {}) => ({
  id: wid(GROUP),
  subject: 'Team',
  desc: 'Our team',
  owner: wid('6289999999999@c.us'),
  creation: 1_700_000_000,
  size: 12,
  membershipApprovalMode: false,
  ...overrides,
});

describe('invite links', () => {
  it('reads the code from GroupChat.getInviteCode and revokes with GroupChat.revokeInvite, for an admin', async () => {
    const chat = groupChat('admin');
    await expect(invites().getInviteCode(GROUP)).resolves.toBe(CODE);
    await expect(invites().revokeInviteCode(GROUP)).resolves.toBe('NewCodeNewCodeNewCode1');
    expect(h.client().getChatById).toHaveBeenCalledWith(GROUP);
    expect(chat.getInviteCode).toHaveBeenCalledTimes(1);
    expect(chat.revokeInvite).toHaveBeenCalledTimes(1);
  });

  it('not_group_admin, not_group_participant and group_not_found before calling WhatsApp', async () => {
    const member = groupChat('member');
    await expect(invites().getInviteCode(GROUP)).rejects.toMatchObject({ code: 'not_group_admin' });
    await expect(invites().revokeInviteCode(GROUP)).rejects.toMatchObject({ code: 'not_group_admin' });
    expect(member.getInviteCode).not.toHaveBeenCalled();
    groupChat('absent');
    await expect(invites().getInviteCode(GROUP)).rejects.toMatchObject({ code: 'not_group_participant' });
    h.client().getChatById.mockResolvedValue({ isGroup: false } as wwebjs.Chat);
    await expect(invites().getInviteCode(GROUP)).rejects.toMatchObject({ code: 'group_not_found' });
    h.client().getChatById.mockResolvedValue(undefined as unknown as wwebjs.Chat);
    await expect(invites().membershipRequests(GROUP)).rejects.toMatchObject({ code: 'group_not_found' });
  });

  it('revoke: reads the new code with getInviteCode when revokeInvite answers none', async () => {
    const chat = groupChat('admin');
    chat.revokeInvite.mockResolvedValue(undefined);
    chat.getInviteCode.mockResolvedValue('NewCodeReadAfterRevoke');
    await expect(invites().revokeInviteCode(GROUP)).resolves.toBe('NewCodeReadAfterRevoke');
    expect(chat.revokeInvite).toHaveBeenCalledTimes(1);
    expect(chat.getInviteCode).toHaveBeenCalledTimes(1);
  });

  it('revoke: engine_error, not an empty code, when neither revokeInvite nor getInviteCode gives one', async () => {
    const chat = groupChat('admin');
    chat.revokeInvite.mockResolvedValue(undefined);
    chat.getInviteCode.mockResolvedValue(undefined as unknown as string);
    await expect(invites().revokeInviteCode(GROUP)).rejects.toMatchObject({ code: 'engine_error' });
  });

  it('not_group_admin when the library answers no code (it swallows the server refusal)', async () => {
    const chat = groupChat('admin');
    chat.getInviteCode.mockResolvedValue(undefined as unknown as string);
    await expect(invites().getInviteCode(GROUP)).rejects.toMatchObject({ code: 'not_group_admin' });
  });
});

describe('invite info and joining', () => {
  it('maps Client.getInviteInfo(code) to the answer', async () => {
    h.client().getInviteInfo.mockResolvedValue(inviteInfo());
    await expect(invites().getInviteInfo(CODE)).resolves.toEqual({
      groupId: GROUP,
      name: 'Team',
      description: 'Our team',
      owner: '6289999999999',
      createdAt: 1_700_000_000_000,
      size: 12,
      membershipApproval: false,
    });
    expect(h.client().getInviteInfo).toHaveBeenCalledWith(CODE);
  });

  it('engine_error when the invite query answers without a group id', async () => {
    h.client().getInviteInfo.mockResolvedValue(inviteInfo({ id: undefined }));
    await expect(invites().getInviteInfo(CODE)).rejects.toMatchObject({ code: 'engine_error' });
    await expect(invites().join(CODE)).rejects.toMatchObject({ code: 'engine_error' });
    expect(h.client().acceptInvite).not.toHaveBeenCalled();
  });

  it('invalid_invite when WhatsApp refuses the query (the minified error of a bad or revoked code)', async () => {
    h.client().getInviteInfo.mockRejectedValue(new Error('Evaluation failed: i'));
    await expect(invites().getInviteInfo(CODE)).rejects.toMatchObject({ code: 'invalid_invite' });
    await expect(invites().join(CODE)).rejects.toMatchObject({ code: 'invalid_invite' });
    expect(h.client().acceptInvite).not.toHaveBeenCalled();
  });

  it('joins with Client.acceptInvite(code), asks in approval mode, and refuses a full group group_full without trying', async () => {
    h.client().getInviteInfo.mockResolvedValue(inviteInfo());
    h.client().acceptInvite.mockResolvedValue(GROUP);
    await expect(invites().join(CODE)).resolves.toEqual({ groupId: GROUP, status: 'joined' });
    expect(h.client().acceptInvite).toHaveBeenCalledWith(CODE);

    h.client().getInviteInfo.mockResolvedValue(inviteInfo({ membershipApprovalMode: true }));
    await expect(invites().join(CODE)).resolves.toEqual({ groupId: GROUP, status: 'requested' });

    h.client().acceptInvite.mockClear();
    h.client().getInviteInfo.mockResolvedValue(inviteInfo({ size: 1024 }));
    await expect(invites().join(CODE)).rejects.toMatchObject({ code: 'group_full' });
    expect(h.client().acceptInvite).not.toHaveBeenCalled();
  });

  it('engine_error when the join itself fails after a valid query', async () => {
    h.client().getInviteInfo.mockResolvedValue(inviteInfo());
    h.client().acceptInvite.mockRejectedValue(new Error('Evaluation failed: t'));
    await expect(invites().join(CODE)).rejects.toMatchObject({ code: 'engine_error' });
  });
});

describe('membership requests', () => {
  const request = (id: string, requestMethod: string, t: number) =>
    ({ id: wid(id), addedBy: wid('6287777777777@c.us'), parentGroupId: null, requestMethod, t }) as wwebjs.GroupMembershipRequest;

  it('lists with Client.getGroupMembershipRequests(groupId)', async () => {
    groupChat('admin');
    h.client().getGroupMembershipRequests.mockResolvedValue([
      request(ASKER, 'InviteLink', 1_700_000_000),
      request('6282222222222@c.us', 'NonAdminAdd', 1_700_000_001),
    ]);
    await expect(invites().membershipRequests(GROUP)).resolves.toEqual([
      { requester: '6281111111111', method: 'invite_link', requestedAt: 1_700_000_000_000 },
      { requester: '6282222222222', method: 'non_admin_add', addedBy: '6287777777777', requestedAt: 1_700_000_001_000 },
    ]);
    expect(h.client().getGroupMembershipRequests).toHaveBeenCalledWith(GROUP);
  });

  it('approves and rejects the named requesters, mapping the library’s codes per requester', async () => {
    groupChat('admin');
    const others: [string, string, string, string] = [
      '6282222222222@c.us',
      '6283333333333@c.us',
      '6284444444444@c.us',
      '6285555555555@c.us',
    ];
    h.client().approveGroupMembershipRequests.mockResolvedValue([
      { requesterId: ASKER, message: 'Approved successfully' },
      { requesterId: others[0], error: 404, message: 'ParticipantRequestNotFoundError' },
      { requesterId: others[1], error: 500, message: 'ParticipantResourceConstraintError' },
      { requesterId: others[2], message: 'ServerStatusCodeError' },
    ]);
    await expect(invites().handleMembershipRequests(GROUP, 'approve', [ASKER, ...others])).resolves.toEqual([
      { requester: '6281111111111', ok: true },
      { requester: '6282222222222', ok: false, reason: 'no_request' },
      { requester: '6283333333333', ok: false, reason: 'group_full' },
      { requester: '6284444444444', ok: false, reason: 'refused' },
      { requester: '6285555555555', ok: false, reason: 'unconfirmed' },
    ]);
    expect(h.client().approveGroupMembershipRequests).toHaveBeenCalledWith(GROUP, { requesterIds: [ASKER, ...others], sleep: [250, 500] });

    h.client().rejectGroupMembershipRequests.mockResolvedValue([{ requesterId: ASKER, message: 'Rejected successfully' }]);
    await expect(invites().handleMembershipRequests(GROUP, 'reject', [ASKER])).resolves.toEqual([{ requester: '6281111111111', ok: true }]);
    expect(h.client().rejectGroupMembershipRequests).toHaveBeenCalledWith(GROUP, { requesterIds: [ASKER], sleep: [250, 500] });
  });

  it('names everyone waiting when no requester is given, and asks nothing when nobody waits', async () => {
    groupChat('admin');
    h.client().getGroupMembershipRequests.mockResolvedValue([request(ASKER, 'InviteLink', 1_700_000_000)]);
    h.client().rejectGroupMembershipRequests.mockResolvedValue([{ requesterId: ASKER, message: 'Rejected successfully' }]);
    await expect(invites().handleMembershipRequests(GROUP, 'reject')).resolves.toEqual([{ requester: '6281111111111', ok: true }]);
    expect(h.client().rejectGroupMembershipRequests).toHaveBeenCalledWith(GROUP, { requesterIds: [ASKER], sleep: [250, 500] });
    h.client().getGroupMembershipRequests.mockResolvedValue([]);
    await expect(invites().handleMembershipRequests(GROUP, 'approve')).resolves.toEqual([]);
    expect(h.client().approveGroupMembershipRequests).not.toHaveBeenCalled();
  });

  it('not_group_admin before approving for a participant who is no admin', async () => {
    groupChat('member');
    await expect(invites().handleMembershipRequests(GROUP, 'approve', [ASKER])).rejects.toMatchObject({ code: 'not_group_admin' });
    expect(h.client().approveGroupMembershipRequests).not.toHaveBeenCalled();
  });

  it('reports the library’s group_membership_request to the listener', async () => {
    h.client().emit('group_membership_request', { chatId: GROUP, author: ASKER, timestamp: 1_700_000_002, recipientIds: [] });
    await vi.waitFor(() =>
      expect(h.listener.onMembershipRequest).toHaveBeenCalledWith({
        groupId: GROUP,
        requester: '6281111111111',
        timestamp: 1_700_000_002_000,
      }),
    );
  });
});
