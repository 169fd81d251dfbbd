/**
 * Groups on the real engine with a fake Client: the exact library calls (Client.createGroup/getChatById/
 * getCommonGroups, GroupChat methods), the checks before them, the per-number answers, and the group events
 * made from the library's group_join/leave/admin_changed/update.
 */
import { describe, expect, it, vi } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import { flush, startedHarnessPerTest } from './session-harness';

const ME = '15550001234@c.us';
const ANA = '6281111111111@c.us';
const BEN = '6282222222222@c.us';
const GROUP = '120363000000000001@g.us';

const h = startedHarnessPerTest();

const wid = (id: string) => {
  const [user = '', server = ''] = id.split('@');
  return { _serialized: id, user, server };
};
const member = (id: string, isAdmin = false, isSuperAdmin = false) => ({ id: wid(id), isAdmin, isSuperAdmin });

/** A GroupChat as getChatById gives it, with the methods the engine calls as mocks. */
function groupChat(participants = [member(ME, true, true), member(ANA)], metadata = { announce: false, restrict: false }) {
  return {
    id: wid(GROUP),
    isGroup: true,
    name: 'Team',
    description: 'About',
    owner: wid(ME),
    createdAt: new Date(1_700_000_000_000),
    participants,
    groupMetadata: metadata,
    getInviteCode: vi.fn(async () => 'AbCdEfGhIjKlMnOpQrStUv'),
    setSubject: vi.fn(async () => true),
    setDescription: vi.fn(async () => true),
    setMessagesAdminsOnly: vi.fn(async () => true),
    setInfoAdminsOnly: vi.fn(async () => true),
    setPicture: vi.fn(async () => true),
    addParticipants: vi.fn(),
    removeParticipants: vi.fn(async () => ({ status: 200 })),
    promoteParticipants: vi.fn(async () => ({ status: 200 })),
    demoteParticipants: vi.fn(async () => ({ status: 200 })),
    leave: vi.fn(async () => {}),
  };
}
type FakeGroup = ReturnType<typeof groupChat>;

/** getChatById answers these chats, one per call, in order (and nothing it was told before). */
function serve(...chats: Array<FakeGroup | undefined>) {
  const getChatById = h.client().getChatById.mockReset();
  for (const chat of chats) getChatById.mockResolvedValueOnce(chat as unknown as wwebjs.Chat);
  return getChatById;
}

const groups = () => h.session.groups!;

describe('requests', () => {
  it('create_group: createGroup without private invites; failures by code', async () => {
    const createGroup = h.client().createGroup.mockResolvedValue({
      title: 'Team',
      gid: wid(GROUP),
      participants: {
        [ANA]: { statusCode: 200, message: '', isGroupCreator: false, isInviteV4Sent: false },
        [BEN]: { statusCode: 403, message: '', isGroupCreator: false, isInviteV4Sent: false },
        '6283333333000@c.us': { statusCode: 404, message: '', isGroupCreator: false, isInviteV4Sent: false },
      },
    });
    await expect(groups().create('Team', [ANA, BEN, '6283333333000@c.us'])).resolves.toEqual({
      groupId: GROUP,
      failed: [
        { participant: BEN, reason: 'invite_required' },
        { participant: '6283333333000@c.us', reason: 'not_on_whatsapp' },
      ],
    });
    expect(createGroup).toHaveBeenCalledWith('Team', [ANA, BEN, '6283333333000@c.us'], { autoSendInviteV4: false });
  });

  it("create_group: the library's error string is an engine_error, not a success", async () => {
    h.client().createGroup.mockResolvedValue('CreateGroupError: An unknown error occupied while creating a group');
    await expect(groups().create('Team', [ANA])).rejects.toMatchObject({ code: 'engine_error' });
  });

  it('get_group_info: the metadata, and the invite code only for an admin', async () => {
    const chat = groupChat();
    serve(chat);
    await expect(groups().getInfo(GROUP)).resolves.toEqual({
      id: GROUP,
      name: 'Team',
      description: 'About',
      owner: ME,
      createdAt: 1_700_000_000_000,
      participants: [
        { id: ME, isAdmin: true, isSuperAdmin: true },
        { id: ANA, isAdmin: false, isSuperAdmin: false },
      ],
      settings: { messagesAdminsOnly: false, infoAdminsOnly: false },
      inviteLink: 'https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv',
    });
    const notAdmin = groupChat([member(ANA, true, true), member(ME)]);
    serve(notAdmin);
    await expect(groups().getInfo(GROUP)).resolves.toMatchObject({ inviteLink: null });
    expect(notAdmin.getInviteCode).not.toHaveBeenCalled();
  });

  it('group_not_found and not_group_participant', async () => {
    serve(undefined);
    await expect(groups().getInfo(GROUP)).rejects.toMatchObject({ code: 'group_not_found' });
    serve({ ...groupChat(), isGroup: false });
    await expect(groups().getInfo(GROUP)).rejects.toMatchObject({ code: 'group_not_found' });
    serve(groupChat([member(ANA, true, true)]));
    await expect(groups().leave(GROUP)).rejects.toMatchObject({ code: 'not_group_participant' });
  });

  it('update_group: one library call per field; settings need admin, info needs admin only with infoAdminsOnly', async () => {
    const chat = groupChat();
    serve(chat);
    await groups().update(GROUP, { name: 'New', description: 'D', messagesAdminsOnly: true, infoAdminsOnly: false });
    expect(chat.setSubject).toHaveBeenCalledWith('New');
    expect(chat.setDescription).toHaveBeenCalledWith('D');
    expect(chat.setMessagesAdminsOnly).toHaveBeenCalledWith(true);
    expect(chat.setInfoAdminsOnly).toHaveBeenCalledWith(false);

    const plain = groupChat([member(ANA, true, true), member(ME)]);
    serve(plain, plain);
    await expect(groups().update(GROUP, { messagesAdminsOnly: true })).rejects.toMatchObject({ code: 'not_group_admin' });
    await expect(groups().update(GROUP, { name: 'Mine' })).resolves.toBeUndefined();
    const restricted = groupChat([member(ANA, true, true), member(ME)], { announce: false, restrict: true });
    serve(restricted);
    await expect(groups().update(GROUP, { name: 'Mine' })).rejects.toMatchObject({ code: 'not_group_admin' });
    expect(restricted.setSubject).not.toHaveBeenCalled();
    const refusing = groupChat();
    refusing.setSubject.mockResolvedValue(false);
    serve(refusing);
    await expect(groups().update(GROUP, { name: 'x' })).rejects.toMatchObject({ code: 'engine_error' });
  });

  it('set_group_picture: setPicture with the file as MessageMedia', async () => {
    const chat = groupChat();
    serve(chat);
    const bytes = Buffer.from('picture');
    await groups().setPicture(GROUP, { mimetype: 'image/jpeg', fileName: 'p.jpg', size: bytes.length, load: async () => bytes });
    expect(chat.setPicture).toHaveBeenCalledWith(expect.objectContaining({ mimetype: 'image/jpeg', data: bytes.toString('base64') }));
  });

  it('add_participants: addParticipants without private invites, each code mapped', async () => {
    const chat = groupChat();
    chat.addParticipants.mockResolvedValue({ [ANA]: { code: 409 }, [BEN]: { code: 200 }, '6283333333333@c.us': { code: 419 } });
    serve(chat);
    await expect(groups().changeParticipants(GROUP, 'add', [ANA, BEN, '6283333333333@c.us'])).resolves.toEqual([
      { participant: ANA, ok: false, reason: 'already_participant' },
      { participant: BEN, ok: true },
      { participant: '6283333333333@c.us', ok: false, reason: 'group_full' },
    ]);
    expect(chat.addParticipants).toHaveBeenCalledWith([ANA, BEN, '6283333333333@c.us'], { autoSendInviteV4: false });
  });

  it("add_participants: the library's error string is an engine_error, not a per-number answer", async () => {
    const chat = groupChat();
    chat.addParticipants.mockResolvedValue('AddParticipantsError: You have no admin rights to add a participant to a group');
    serve(chat);
    await expect(groups().changeParticipants(GROUP, 'add', [ANA])).rejects.toMatchObject({
      code: 'engine_error',
      message: expect.stringContaining('You have no admin rights'),
    });
  });

  it('remove/promote/demote: only members are passed on, and the group read again says what happened', async () => {
    const before = groupChat([member(ME, true, true), member(ANA), member(BEN)]);
    const after = groupChat([member(ME, true, true), member(ANA, true), member(BEN)]);
    serve(before, after);
    await expect(groups().changeParticipants(GROUP, 'promote', [ANA, BEN, '6283333333333@c.us'])).resolves.toEqual([
      { participant: ANA, ok: true },
      { participant: BEN, ok: false, reason: 'not_allowed' },
      { participant: '6283333333333@c.us', ok: false, reason: 'not_participant' },
    ]);
    expect(before.promoteParticipants).toHaveBeenCalledWith([ANA, BEN]);
    const admin = groupChat([member(ANA, true, true), member(ME)]);
    serve(admin);
    await expect(groups().changeParticipants(GROUP, 'remove', [ANA])).rejects.toMatchObject({ code: 'not_group_admin' });
    expect(admin.removeParticipants).not.toHaveBeenCalled();
  });

  it('leave_group and get_common_groups', async () => {
    const chat = groupChat();
    serve(chat);
    await groups().leave(GROUP);
    expect(chat.leave).toHaveBeenCalled();
    const getCommonGroups = h.client().getCommonGroups.mockResolvedValue([wid(GROUP)]);
    await expect(groups().commonGroups(ANA)).resolves.toEqual([GROUP]);
    expect(getCommonGroups).toHaveBeenCalledWith(ANA);
  });
});

describe('events', () => {
  const notification = (type: string, fields: Partial<wwebjs.GroupNotification> = {}) =>
    ({ type, chatId: GROUP, author: ANA, recipientIds: [BEN], body: '', ...fields }) as unknown as wwebjs.GroupNotification;

  it('group_join, group_leave and group_admin_changed become group_participants_changed', async () => {
    const client = h.client();
    client.emit('group_join', notification('add'));
    client.emit('group_join', notification('invite', { author: undefined as never }));
    client.emit('group_leave', notification('leave', { author: undefined as never }));
    client.emit('group_admin_changed', notification('promote'));
    await flush();
    await vi.waitFor(() => expect(h.listener.onGroupParticipantsChanged).toHaveBeenCalledTimes(4));
    expect(h.listener.onGroupParticipantsChanged.mock.calls.map(([change]) => change)).toEqual([
      { groupId: GROUP, action: 'add', participants: [BEN], by: ANA },
      { groupId: GROUP, action: 'join', participants: [BEN], by: null },
      { groupId: GROUP, action: 'leave', participants: [BEN], by: BEN },
      { groupId: GROUP, action: 'promote', participants: [BEN], by: ANA },
    ]);
  });

  it('group_update becomes group_updated, the value read again where the notification has none', async () => {
    serve(groupChat(undefined, { announce: true, restrict: false }));
    const client = h.client();
    client.emit('group_update', notification('subject', { body: 'New name' }));
    client.emit('group_update', notification('announce'));
    client.emit('group_update', notification('picture'));
    client.emit('group_update', notification('create'));
    await vi.waitFor(() => expect(h.listener.onGroupUpdated).toHaveBeenCalledTimes(3));
    expect(h.listener.onGroupUpdated.mock.calls.map(([update]) => update)).toEqual([
      { groupId: GROUP, changes: { name: 'New name' }, by: ANA },
      { groupId: GROUP, changes: { messagesAdminsOnly: true }, by: ANA },
      { groupId: GROUP, changes: { picture: true }, by: ANA },
    ]);
  });

  it('group_update whose group cannot be read again still becomes group_updated, naming the field not read', async () => {
    const getChatById = h.client().getChatById.mockReset();
    getChatById.mockRejectedValueOnce(new Error('Evaluation failed: t')).mockResolvedValueOnce(undefined as unknown as wwebjs.Chat);
    const client = h.client();
    client.emit('group_update', notification('description'));
    client.emit('group_update', notification('restrict', { author: undefined as never }));
    await vi.waitFor(() => expect(h.listener.onGroupUpdated).toHaveBeenCalledTimes(2));
    expect(h.listener.onGroupUpdated.mock.calls.map(([update]) => update)).toEqual([
      { groupId: GROUP, changes: {}, valueNotRead: 'description', by: ANA },
      { groupId: GROUP, changes: {}, valueNotRead: 'infoAdminsOnly', by: null },
    ]);
  });
});
