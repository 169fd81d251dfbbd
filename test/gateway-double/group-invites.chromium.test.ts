/**
 * Group invites and membership requests through the Socket.IO API with the real engine: whatsapp-web.js
 * in headless Chromium against the WhatsApp Web double's groups (double/README.md, "Group invites").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DOUBLE_PROFILE_NAMES,
  askToJoin,
  groupState,
  makeGroup,
  membershipRequestsOf,
  setMembershipApproval,
  type DoubleProfile,
} from '../../double/harness';
import { hasBrowser } from '../../double/gateway';
import { pairedOnDouble } from './support';

const SESSION = 'invites';
const OWNER = '6282222222222';
const ASKER = '6283333333333';
const SECOND = '6284444444444';

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'group invites with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    const paired = pairedOnDouble(SESSION, profile);
    let me: string;
    beforeAll(() => {
      me = `${paired.connected.phoneNumber}@c.us`;
    });

    const ownGroup = () => makeGroup(paired.device.page, { subject: 'Team', owner: me, participants: [`${OWNER}@c.us`] });
    const theirGroup = (participants: string[] = [`${SECOND}@c.us`]) =>
      makeGroup(paired.device.page, { subject: 'Theirs', owner: `${OWNER}@c.us`, participants });

    it('gives an admin the link, revokes it, and the old code is invalid_invite', async () => {
      const groupId = await ownGroup();
      const first = await paired.api.request('get_invite_link', { sessionId: SESSION, groupId });
      expect(first).toEqual({
        sessionId: SESSION,
        groupId,
        code: (await groupState(paired.device.page, groupId))!.inviteCode,
        link: expect.any(String),
      });
      expect(first.link).toBe(`https://chat.whatsapp.com/${first.code}`);
      const revoked = await paired.api.request('revoke_invite_link', { sessionId: SESSION, groupId });
      expect(revoked.code).not.toBe(first.code);
      expect((await groupState(paired.device.page, groupId))!.inviteCode).toBe(revoked.code);
      await expect(paired.api.request('get_invite_info', { sessionId: SESSION, link: first.link })).rejects.toMatchObject({
        code: 'invalid_invite',
      });
      await expect(paired.api.request('join_group_by_invite', { sessionId: SESSION, code: first.code })).rejects.toMatchObject({
        code: 'invalid_invite',
      });
    });

    it('refuses the link to a participant who is no admin (not_group_admin) and an unknown group (group_not_found)', async () => {
      const groupId = await theirGroup([me]);
      await expect(paired.api.request('get_invite_link', { sessionId: SESSION, groupId })).rejects.toMatchObject({
        code: 'not_group_admin',
      });
      await expect(paired.api.request('get_membership_requests', { sessionId: SESSION, groupId })).rejects.toMatchObject({
        code: 'not_group_admin',
      });
      await expect(paired.api.request('get_invite_link', { sessionId: SESSION, groupId: '120363999999999999@g.us' })).rejects.toMatchObject(
        {
          code: 'group_not_found',
        },
      );
    });

    it('tells about a group by its link, joins it, and asks to join one in approval mode', async () => {
      const groupId = await theirGroup();
      const { inviteCode } = (await groupState(paired.device.page, groupId))!;
      const info = await paired.api.request('get_invite_info', { sessionId: SESSION, link: `https://chat.whatsapp.com/${inviteCode}` });
      expect(info).toEqual({
        sessionId: SESSION,
        code: inviteCode,
        groupId,
        name: 'Theirs',
        description: null,
        owner: OWNER,
        createdAt: expect.any(Number),
        size: 2,
        membershipApproval: false,
      });
      await expect(paired.api.request('join_group_by_invite', { sessionId: SESSION, code: inviteCode })).resolves.toEqual({
        sessionId: SESSION,
        code: inviteCode,
        groupId,
        status: 'joined',
      });
      expect((await groupState(paired.device.page, groupId))!.participants.map((p) => p.id)).toContain(me);

      const guarded = await theirGroup();
      await setMembershipApproval(paired.device.page, guarded, true);
      const code = (await groupState(paired.device.page, guarded))!.inviteCode;
      await expect(paired.api.request('join_group_by_invite', { sessionId: SESSION, code })).resolves.toMatchObject({
        groupId: guarded,
        status: 'requested',
      });
      expect(await membershipRequestsOf(paired.device.page, guarded)).toEqual([me]);
      expect((await groupState(paired.device.page, guarded))!.participants.map((p) => p.id)).not.toContain(me);
    });

    it('refuses to join a group at the participant limit group_full', async () => {
      const members = Array.from({ length: 1023 }, (_, n) => `62850${String(n).padStart(7, '0')}@c.us`);
      const full = await theirGroup(members);
      const code = (await groupState(paired.device.page, full))!.inviteCode;
      await expect(paired.api.request('get_invite_info', { sessionId: SESSION, code })).resolves.toMatchObject({ size: 1024 });
      await expect(paired.api.request('join_group_by_invite', { sessionId: SESSION, code })).rejects.toMatchObject({ code: 'group_full' });
    });

    it('refuses a malformed code invalid_invite before asking WhatsApp', async () => {
      await expect(paired.api.request('get_invite_info', { sessionId: SESSION, code: 'not a code' })).rejects.toMatchObject({
        code: 'invalid_invite',
      });
    });

    it('reports requests as group_membership_request, lists them, approves and rejects them per requester', async () => {
      const groupId = await ownGroup();
      await setMembershipApproval(paired.device.page, groupId, true);
      const after = paired.log.mark();
      await askToJoin(paired.device.page, groupId, `${ASKER}@c.us`);
      await askToJoin(paired.device.page, groupId, `${SECOND}@c.us`);
      await expect(paired.log.next('group_membership_request', (e) => e.requester === ASKER, { after })).resolves.toMatchObject({
        sessionId: SESSION,
        groupId,
        timestamp: expect.any(Number),
      });
      const { requests } = await paired.api.request('get_membership_requests', { sessionId: SESSION, groupId });
      expect(requests.map((r) => [r.requester, r.method])).toEqual([
        [ASKER, 'invite_link'],
        [SECOND, 'invite_link'],
      ]);
      await expect(
        paired.api.request('approve_membership_requests', { sessionId: SESSION, groupId, requesters: [ASKER, OWNER] }),
      ).resolves.toEqual({
        sessionId: SESSION,
        groupId,
        action: 'approve',
        results: [
          { requester: ASKER, ok: true },
          { requester: OWNER, ok: false, reason: 'no_request' },
        ],
      });
      expect((await groupState(paired.device.page, groupId))!.participants.map((p) => p.id)).toContain(`${ASKER}@c.us`);
      await expect(paired.api.request('reject_membership_requests', { sessionId: SESSION, groupId })).resolves.toMatchObject({
        results: [{ requester: SECOND, ok: true }],
      });
      expect(await membershipRequestsOf(paired.device.page, groupId)).toEqual([]);
    });
  },
);
