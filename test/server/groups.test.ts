/**
 * The group requests and events (issue 15) through the API on the sandbox: its rules (docs/sandbox.md),
 * the per-number answers, the events with their seq, and every refusal code.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-world';
import { collect, nextEvent, sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'groups';
const ME = sandboxPhoneNumber(SESSION);
const ANA = '6282284316465';
const BEN = '6282284316466';
const NOBODY = '6282284316000'; // ends in 000: not on WhatsApp

const { connected } = sandboxGatewayPerTest(SESSION);

const create = (client: GatewayClient, participants = [ANA]) =>
  client.request('create_group', { sessionId: SESSION, name: 'Team', participants });

describe('create_group and get_group_info', () => {
  it('makes the account super admin, adds who is on WhatsApp and says who not, and shows the invite link to the admin', async () => {
    const client = await connected();
    const created = await create(client, [ANA, `+${BEN}`, NOBODY]);
    expect(created).toMatchObject({ sessionId: SESSION, name: 'Team', failed: [{ participant: NOBODY, reason: 'not_on_whatsapp' }] });
    expect(created.groupId).toMatch(/^120363\d{12}@g\.us$/);
    const info = await client.request('get_group_info', { sessionId: SESSION, groupId: created.groupId });
    expect(info).toMatchObject({
      groupId: created.groupId,
      name: 'Team',
      description: null,
      owner: ME,
      settings: { messagesAdminsOnly: false, infoAdminsOnly: false },
      participants: [
        { id: ME, isAdmin: true, isSuperAdmin: true },
        { id: ANA, isAdmin: false, isSuperAdmin: false },
        { id: BEN, isAdmin: false, isSuperAdmin: false },
      ],
    });
    expect(info.inviteLink).toMatch(/^https:\/\/chat\.whatsapp\.com\/[\w-]{22}$/);
    expect(Math.abs(info.createdAt - Date.now())).toBeLessThan(60_000);
  });
});

describe('update_group and set_group_picture', () => {
  it('applies each change and reports one group_updated per change, with its seq', async () => {
    const client = await connected();
    const { groupId } = await create(client);
    const updates = collect(client, 'group_updated');
    const applied = await client.request('update_group', {
      sessionId: SESSION,
      groupId,
      name: 'Team 2',
      description: 'About us',
      messagesAdminsOnly: true,
    });
    expect(applied).toEqual({
      sessionId: SESSION,
      groupId,
      changes: { name: 'Team 2', description: 'About us', messagesAdminsOnly: true },
    });
    await expect(client.request('set_group_picture', { sessionId: SESSION, groupId, media: 'photo.jpg' })).resolves.toEqual({
      sessionId: SESSION,
      groupId,
    });
    await expect.poll(() => updates.length).toBe(4);
    expect(updates.map(({ changes, by }) => ({ changes, by }))).toEqual([
      { changes: { name: 'Team 2' }, by: ME },
      { changes: { description: 'About us' }, by: ME },
      { changes: { messagesAdminsOnly: true }, by: ME },
      { changes: { picture: true }, by: ME },
    ]);
    expect(updates.every((update) => typeof update.seq === 'number')).toBe(true);
    await expect(client.request('get_group_info', { sessionId: SESSION, groupId })).resolves.toMatchObject({
      name: 'Team 2',
      description: 'About us',
      settings: { messagesAdminsOnly: true, infoAdminsOnly: false },
    });
  });

  it('takes the picture with the media rules of sends', async () => {
    const client = await connected();
    const { groupId } = await create(client);
    await expect(client.request('set_group_picture', { sessionId: SESSION, groupId, media: 'report.pdf' })).rejects.toMatchObject({
      code: 'unsupported_type',
    });
    await expect(client.request('set_group_picture', { sessionId: SESSION, groupId, media: '../outside.jpg' })).rejects.toMatchObject({
      code: expect.stringMatching(/^media_/),
    });
  });
});

describe('participants', () => {
  it('answers per number and reports what changed', async () => {
    const client = await connected();
    const { groupId } = await create(client);
    const changes = collect(client, 'group_participants_changed');
    const added = await client.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN, ANA, NOBODY] });
    expect(added).toEqual({
      sessionId: SESSION,
      groupId,
      action: 'add',
      results: [
        { participant: BEN, ok: true },
        { participant: ANA, ok: false, reason: 'already_participant' },
        { participant: NOBODY, ok: false, reason: 'not_on_whatsapp' },
      ],
    });
    const promoted = await client.request('promote_participants', { sessionId: SESSION, groupId, participants: [BEN, '6282284316467'] });
    expect(promoted.results).toEqual([
      { participant: BEN, ok: true },
      { participant: '6282284316467', ok: false, reason: 'not_participant' },
    ]);
    const demoted = await client.request('demote_participants', { sessionId: SESSION, groupId, participants: [BEN, ME] });
    expect(demoted.results).toEqual([
      { participant: BEN, ok: true },
      { participant: ME, ok: false, reason: 'not_allowed' },
    ]);
    const removed = await client.request('remove_participants', { sessionId: SESSION, groupId, participants: [ANA] });
    expect(removed.results).toEqual([{ participant: ANA, ok: true }]);
    await expect.poll(() => changes.length).toBe(4);
    expect(changes.map(({ action, participants, by }) => ({ action, participants, by }))).toEqual([
      { action: 'add', participants: [BEN], by: ME },
      { action: 'promote', participants: [BEN], by: ME },
      { action: 'demote', participants: [BEN], by: ME },
      { action: 'remove', participants: [ANA], by: ME },
    ]);
  });

  it('reports what others do (sandbox_group_event), and get_common_groups follows', async () => {
    const client = await connected();
    const { groupId } = await create(client);
    await expect(client.request('get_common_groups', { sessionId: SESSION, contactId: ANA })).resolves.toEqual({
      sessionId: SESSION,
      contactId: ANA,
      groupIds: [groupId],
    });
    const event = nextEvent(client, 'group_participants_changed');
    const answer = await client.request('sandbox_group_event', { sessionId: SESSION, groupId, action: 'leave', participants: [ANA] });
    expect(answer).toMatchObject({ groupId, action: 'leave', participants: [ANA], by: ANA });
    await expect(event).resolves.toMatchObject({ groupId, action: 'leave', participants: [ANA], seq: expect.any(Number) });
    await expect(client.request('get_common_groups', { sessionId: SESSION, contactId: ANA })).resolves.toMatchObject({ groupIds: [] });
    await expect(
      client.request('sandbox_group_event', { sessionId: SESSION, groupId, action: 'join', participants: [BEN] }),
    ).resolves.toMatchObject({ action: 'join', participants: [BEN], by: null });
  });
});

describe('refused with a stable code', () => {
  it('group_not_found for an unknown group or a person id', async () => {
    const client = await connected();
    for (const groupId of ['120363999999999999@g.us', ANA]) {
      await expect(client.request('get_group_info', { sessionId: SESSION, groupId })).rejects.toMatchObject({ code: 'group_not_found' });
    }
    await expect(client.request('get_group_info', { sessionId: SESSION, groupId: ANA })).rejects.toMatchObject({
      message: `${ANA} is not a group id (…@g.us)`,
    });
  });

  it('not_group_admin in a group someone else administers; not_group_participant once removed or left', async () => {
    const client = await connected();
    const added = await client.request('sandbox_added_to_group', { sessionId: SESSION, name: 'Theirs', by: ANA, participants: [BEN] });
    expect(added).toMatchObject({ action: 'add', participants: [ME], by: ANA });
    const { groupId } = added;
    const admin = { sessionId: SESSION, groupId };
    await expect(client.request('add_participants', { ...admin, participants: ['6282284316467'] })).rejects.toMatchObject({
      code: 'not_group_admin',
    });
    await expect(client.request('update_group', { ...admin, messagesAdminsOnly: true })).rejects.toMatchObject({ code: 'not_group_admin' });
    await expect(client.request('get_group_info', admin)).resolves.toMatchObject({ inviteLink: null, owner: ANA });
    await expect(client.request('update_group', { ...admin, name: 'Ours' })).resolves.toMatchObject({ changes: { name: 'Ours' } });
    await client.request('sandbox_group_event', { ...admin, action: 'remove', participants: [ME], by: ANA });
    await expect(client.request('get_group_info', admin)).rejects.toMatchObject({ code: 'not_group_participant' });
    await expect(client.request('leave_group', admin)).rejects.toMatchObject({ code: 'not_group_participant' });
  });

  it('leave_group, then not_group_participant; the last admin leaving makes someone else admin', async () => {
    const client = await connected();
    const { groupId } = await create(client);
    await expect(client.request('leave_group', { sessionId: SESSION, groupId })).resolves.toEqual({ sessionId: SESSION, groupId });
    await expect(client.request('update_group', { sessionId: SESSION, groupId, name: 'x' })).rejects.toMatchObject({
      code: 'not_group_participant',
    });
    // ANA, now admin, can add people: the sandbox accepts her as `by`
    await expect(
      client.request('sandbox_group_event', { sessionId: SESSION, groupId, action: 'add', participants: [BEN], by: ANA }),
    ).resolves.toMatchObject({ by: ANA });
  });

  it('group_full at 1024 participants', async () => {
    const client = await connected();
    const others = Array.from({ length: 1023 }, (_, i) => `628220${String(i).padStart(5, '0')}1`);
    const { groupId, failed } = await create(client, others);
    expect(failed).toEqual([]);
    const added = await client.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN] });
    expect(added.results).toEqual([{ participant: BEN, ok: false, reason: 'group_full' }]);
    await expect(
      client.request('sandbox_group_event', { sessionId: SESSION, groupId, action: 'join', participants: [BEN] }),
    ).rejects.toMatchObject({ code: 'group_full' });
  });

  it('invalid_number for a malformed participant or a group given as one', async () => {
    const client = await connected();
    await expect(create(client, ['not a number'])).rejects.toMatchObject({ code: 'invalid_number' });
    await expect(create(client, ['120363021234567890@g.us'])).rejects.toMatchObject({
      code: 'invalid_number',
      message: '120363021234567890@g.us is a group, not a person',
    });
  });

  it('invalid_payload for an update that changes nothing', async () => {
    const client = await connected();
    const { groupId } = await create(client);
    await expect(client.request('update_group', { sessionId: SESSION, groupId })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
