/**
 * Group invites and membership requests through the API (sandbox, issue 15): links, revokes, invite
 * info, joining, requests in approval mode, and every refusal's code (docs/sandbox.md, "Group invites").
 */
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import type { SandboxSession } from '../../src/engines/sandbox/sandbox-session';
import { nextEvent, sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'invites';
const FRIEND = '6282284316465';
const ASKER = '6282284316477';
const OPEN_CODE = 'OpenGroupCode123456789';

const gateways = sandboxGatewayPerTest(SESSION);

async function connected(): Promise<{ client: GatewayClient; sandbox: SandboxSession }> {
  const client = await gateways.connected();
  const sandbox = gateways.gateway().manager.get(SESSION).connectedEngine() as SandboxSession;
  return { client, sandbox };
}

/** A group of the session's own (create_group is the groups family's; its state is shared). */
function ownGroup(sandbox: SandboxSession, { admin = true } = {}): string {
  const me = `${sandbox.account.phoneNumber}@c.us`;
  const group = admin
    ? sandbox.groupState.create('Team', me, [`${FRIEND}@c.us`])
    : sandbox.groupState.create('Theirs', `${FRIEND}@c.us`, [me]);
  return group.id;
}

describe('invite links', () => {
  it('answers the code and link, revokes it for a new one, and refuses the old one invalid_invite', async () => {
    const { client, sandbox } = await connected();
    const groupId = ownGroup(sandbox);
    const first = await client.request('get_invite_link', { sessionId: SESSION, groupId });
    expect(first).toEqual({ sessionId: SESSION, groupId, code: expect.any(String), link: `https://chat.whatsapp.com/${first.code}` });
    await expect(client.request('get_invite_link', { sessionId: SESSION, groupId })).resolves.toEqual(first);

    const revoked = await client.request('revoke_invite_link', { sessionId: SESSION, groupId });
    expect(revoked.code).not.toBe(first.code);
    expect(revoked.link).toBe(`https://chat.whatsapp.com/${revoked.code}`);
    await expect(client.request('get_invite_link', { sessionId: SESSION, groupId })).resolves.toEqual(revoked);
    await expect(client.request('get_invite_info', { sessionId: SESSION, link: first.link })).rejects.toMatchObject({
      code: 'invalid_invite',
    });
    await expect(client.request('get_invite_info', { sessionId: SESSION, link: revoked.link })).resolves.toMatchObject({
      groupId,
      name: 'Team',
      size: 2,
      membershipApproval: false,
    });
  });

  it('not_group_admin for a participant who is no admin, group_not_found for an unknown group or a number', async () => {
    const { client, sandbox } = await connected();
    const groupId = ownGroup(sandbox, { admin: false });
    for (const event of ['get_invite_link', 'revoke_invite_link', 'get_membership_requests'] as const) {
      await expect(client.request(event, { sessionId: SESSION, groupId })).rejects.toMatchObject({ code: 'not_group_admin' });
      await expect(client.request(event, { sessionId: SESSION, groupId: '120363999999999999@g.us' })).rejects.toMatchObject({
        code: 'group_not_found',
      });
      await expect(client.request(event, { sessionId: SESSION, groupId: FRIEND })).rejects.toMatchObject({
        code: 'group_not_found',
        message: `${FRIEND} is not a group id (…@g.us)`,
      });
    }
    await expect(client.request('approve_membership_requests', { sessionId: SESSION, groupId })).rejects.toMatchObject({
      code: 'not_group_admin',
    });
  });
});

describe('invite info and joining', () => {
  it('tells about someone else’s group by code or link, the same deterministic group either way, and joins it', async () => {
    const { client } = await connected();
    const byCode = await client.request('get_invite_info', { sessionId: SESSION, code: OPEN_CODE });
    expect(byCode).toEqual({
      sessionId: SESSION,
      code: OPEN_CODE,
      groupId: expect.stringMatching(/^120363\d{12}@g\.us$/),
      name: 'Sandbox group OpenGr',
      description: 'A group someone else made (sandbox)',
      owner: expect.stringMatching(/^628\d{9}$/),
      createdAt: Date.UTC(2025, 0, 1),
      size: 3,
      membershipApproval: false,
    });
    for (const link of [`https://chat.whatsapp.com/${OPEN_CODE}`, `chat.whatsapp.com/invite/${OPEN_CODE}/`, ` ${OPEN_CODE} `]) {
      await expect(client.request('get_invite_info', { sessionId: SESSION, link })).resolves.toEqual(byCode);
    }
    const joined = await client.request('join_group_by_invite', { sessionId: SESSION, link: `https://chat.whatsapp.com/${OPEN_CODE}` });
    expect(joined).toEqual({ sessionId: SESSION, code: OPEN_CODE, groupId: byCode.groupId, status: 'joined' });
    await expect(client.request('get_invite_info', { sessionId: SESSION, code: OPEN_CODE })).resolves.toMatchObject({ size: 4 });
    await expect(client.request('join_group_by_invite', { sessionId: SESSION, code: OPEN_CODE })).resolves.toEqual(joined);
    // a participant, no admin: the link is not ours to see
    await expect(client.request('get_invite_link', { sessionId: SESSION, groupId: joined.groupId })).rejects.toMatchObject({
      code: 'not_group_admin',
    });
  });

  it('asks to join a group in approval mode, group_full for a full one, invalid_invite for revoked and malformed codes', async () => {
    const { client } = await connected();
    await expect(client.request('join_group_by_invite', { sessionId: SESSION, code: 'AskFirstCode1234567890' })).resolves.toMatchObject({
      status: 'requested',
    });
    await expect(client.request('get_invite_info', { sessionId: SESSION, code: 'FullGroupCode123456789' })).resolves.toMatchObject({
      size: 1024,
    });
    await expect(client.request('join_group_by_invite', { sessionId: SESSION, code: 'FullGroupCode123456789' })).rejects.toMatchObject({
      code: 'group_full',
    });
    for (const code of [
      'GoneGroupCode123456789',
      'short',
      'https://chat.whatsapp.com/',
      'https://example.com/OpenGroupCode123456789',
      'white space code here!',
    ]) {
      await expect(client.request('join_group_by_invite', { sessionId: SESSION, code })).rejects.toMatchObject({ code: 'invalid_invite' });
      await expect(client.request('get_invite_info', { sessionId: SESSION, link: code })).rejects.toMatchObject({ code: 'invalid_invite' });
    }
  });

  it('invalid_payload when the code is no string, or when neither or both of code and link are given', async () => {
    const { client } = await connected();
    const payloads = [{ code: 42 }, {}, { code: OPEN_CODE, link: OPEN_CODE }];
    for (const payload of payloads) {
      await expect(client.request('join_group_by_invite', { sessionId: SESSION, ...payload } as never)).rejects.toMatchObject({
        code: 'invalid_payload',
      });
    }
  });
});

describe('membership requests', () => {
  it('reports a request as group_membership_request, lists it, approves and rejects per requester', async () => {
    const { client, sandbox } = await connected();
    const groupId = ownGroup(sandbox);
    const other = '6282284316488';
    const event = nextEvent(client, 'group_membership_request');
    const asked = await client.request('sandbox_membership_request', { sessionId: SESSION, groupId, requester: ASKER });
    expect(asked).toEqual({ sessionId: SESSION, groupId, requester: ASKER, timestamp: expect.any(Number) });
    await expect(event).resolves.toMatchObject({ sessionId: SESSION, groupId, requester: ASKER, seq: expect.any(Number) });
    await client.request('sandbox_membership_request', { sessionId: SESSION, groupId, requester: other });

    const listed = await client.request('get_membership_requests', { sessionId: SESSION, groupId });
    expect(listed.requests).toEqual([
      { requester: ASKER, method: 'invite_link', requestedAt: asked.timestamp },
      { requester: other, method: 'invite_link', requestedAt: expect.any(Number) },
    ]);
    await expect(
      client.request('approve_membership_requests', { sessionId: SESSION, groupId, requesters: [ASKER, FRIEND] }),
    ).resolves.toEqual({
      sessionId: SESSION,
      groupId,
      action: 'approve',
      results: [
        { requester: ASKER, ok: true },
        { requester: FRIEND, ok: false, reason: 'no_request' },
      ],
    });
    expect(sandbox.groupState.require(groupId).participants.map((p) => p.id)).toContain(`${ASKER}@c.us`);
    await expect(client.request('reject_membership_requests', { sessionId: SESSION, groupId })).resolves.toMatchObject({
      action: 'reject',
      results: [{ requester: other, ok: true }],
    });
    await expect(client.request('get_membership_requests', { sessionId: SESSION, groupId })).resolves.toMatchObject({ requests: [] });
    await expect(client.request('approve_membership_requests', { sessionId: SESSION, groupId })).resolves.toMatchObject({ results: [] });
  });

  it('group_full per requester when approving would pass the limit; the group is in approval mode once asked, not once read', async () => {
    const { client, sandbox } = await connected();
    const groupId = ownGroup(sandbox);
    const { code } = await client.request('get_invite_link', { sessionId: SESSION, groupId });
    await client.request('get_membership_requests', { sessionId: SESSION, groupId });
    await client.request('approve_membership_requests', { sessionId: SESSION, groupId });
    await expect(client.request('get_invite_info', { sessionId: SESSION, code })).resolves.toMatchObject({ membershipApproval: false });
    await client.request('sandbox_membership_request', { sessionId: SESSION, groupId, requester: ASKER });
    await expect(client.request('get_invite_info', { sessionId: SESSION, code })).resolves.toMatchObject({ membershipApproval: true });
    const group = sandbox.groupState.require(groupId);
    for (let n = group.participants.length; n < 1024; n += 1)
      group.participants.push({ id: `${n}0000000@c.us`, isAdmin: false, isSuperAdmin: false });
    await expect(client.request('approve_membership_requests', { sessionId: SESSION, groupId })).resolves.toMatchObject({
      results: [{ requester: ASKER, ok: false, reason: 'group_full' }],
    });
  });
});
