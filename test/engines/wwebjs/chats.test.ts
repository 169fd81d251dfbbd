/**
 * Chats and history on the real engine with a fake Client (issue 15): the page scripts it runs and
 * their arguments, the library calls each action makes on the chat id the page holds, and how
 * results and refusals map to the protocol.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import { FIND_CHAT_ID, LIST_CHATS, READ_CHAT_MESSAGES, type PageChat } from '../../../src/engines/wwebjs/chat-scripts';
import { startedHarnessPerTest } from './session-harness';

const CHAT = '6281111111111@c.us';
const LID_CHAT = '211111111111186@lid';

const h = startedHarnessPerTest();
beforeEach(() => {
  page().answer(FIND_CHAT_ID, () => ({ outcome: 'found' as const, chatId: LID_CHAT }));
});

const page = () => h.client().pupPage!;
const chats = () => h.session.chats!;

const pageChat = (fields: Partial<PageChat> = {}): PageChat => ({
  id: CHAT,
  name: 'Ann',
  isGroup: false,
  unreadCount: 2,
  t: 1_700_000_000,
  archive: false,
  pin: 0,
  muteExpiration: 0,
  ...fields,
});

describe('get_chats', () => {
  it('reads the page (LIST_CHATS) and maps counts, times, pins and mutes', async () => {
    page().answer(LIST_CHATS, () => [
      pageChat(),
      pageChat({
        id: '120363000000000001@g.us',
        isGroup: true,
        unreadCount: -1,
        t: 0,
        archive: true,
        pin: 1_700_000_001,
        muteExpiration: -1,
      }),
      pageChat({ id: LID_CHAT, unreadCount: 0, muteExpiration: 1_800_000_000 }),
    ]);
    const list = await chats().list();
    expect(list[0]).toEqual({
      id: CHAT,
      name: 'Ann',
      isGroup: false,
      unreadCount: 2,
      markedUnread: false,
      lastMessageAt: 1_700_000_000_000,
      archived: false,
      pinned: false,
      muted: false,
      mutedUntil: null,
    });
    expect(list[1]).toMatchObject({ isGroup: true, unreadCount: 0, markedUnread: true, lastMessageAt: null, archived: true, pinned: true });
    expect(list[1]).toMatchObject({ muted: true, mutedUntil: null });
    expect(list[2]).toMatchObject({ muted: true, mutedUntil: 1_800_000_000_000 });
  });
});

describe('fetch_messages', () => {
  const model = (id: string, body: string, t: number) => ({
    id: { fromMe: false, remote: LID_CHAT, id, _serialized: `false_${LID_CHAT}_${id}` },
    from: LID_CHAT,
    to: '15550001234@c.us',
    body,
    type: 'chat',
    t,
    notifyName: 'Ann',
  });

  it('runs READ_CHAT_MESSAGES with the chat, limit and before, and maps each model as a received message', async () => {
    page().answer(READ_CHAT_MESSAGES, () => ({ outcome: 'done' as const, messages: [model('B', 'second', 20), model('A', 'first', 10)] }));
    const messages = await chats().fetchMessages(CHAT, { limit: 2, before: `false_${LID_CHAT}_C` });
    expect(page().scriptCalls(READ_CHAT_MESSAGES)).toEqual([{ chatId: CHAT, limit: 2, before: `false_${LID_CHAT}_C` }]);
    expect(messages.map((m) => [m.id, m.text, m.timestamp])).toEqual([
      [`false_${LID_CHAT}_B`, 'second', 20_000],
      [`false_${LID_CHAT}_A`, 'first', 10_000],
    ]);
    expect(messages[0]).toMatchObject({
      chatId: LID_CHAT,
      from: LID_CHAT,
      fromLid: LID_CHAT,
      pushname: 'Ann',
      fromMe: false,
      type: 'text',
    });
  });

  it('a key without _serialized (the minified 2026-07 form) still gives the id', async () => {
    const minified = { ...model('M', 'old', 5), id: { fromMe: false, remote: LID_CHAT, id: 'M', $1: `false_${LID_CHAT}_M` } };
    page().answer(READ_CHAT_MESSAGES, () => ({ outcome: 'done' as const, messages: [minified] }));
    expect((await chats().fetchMessages(CHAT, { limit: 1 }))[0]!.id).toBe(`false_${LID_CHAT}_M`);
  });

  it('chat_not_found and message_not_found from the page', async () => {
    page().answer(READ_CHAT_MESSAGES, () => ({ outcome: 'chat_not_found' as const }));
    await expect(chats().fetchMessages(CHAT, { limit: 1 })).rejects.toMatchObject({ code: 'chat_not_found' });
    page().answer(READ_CHAT_MESSAGES, () => ({ outcome: 'message_not_found' as const }));
    await expect(chats().fetchMessages(CHAT, { limit: 1, before: `false_${CHAT}_X` })).rejects.toMatchObject({
      code: 'message_not_found',
    });
  });
});

describe('chat actions: the library calls, on the id the page holds the chat under', () => {
  it('archive and unarchive, pin and unpin, mark unread', async () => {
    const client = h.client();
    await chats().archive(CHAT, true);
    await chats().archive(CHAT, false);
    await chats().pin(CHAT, true);
    await chats().pin(CHAT, false);
    await chats().markUnread(CHAT);
    expect(page().scriptCalls(FIND_CHAT_ID)).toEqual(Array(5).fill({ chatId: CHAT }));
    expect(client.archiveChat.mock.calls).toEqual([[LID_CHAT]]);
    expect(client.unarchiveChat.mock.calls).toEqual([[LID_CHAT]]);
    expect(client.pinChat.mock.calls).toEqual([[LID_CHAT]]);
    expect(client.unpinChat.mock.calls).toEqual([[LID_CHAT]]);
    expect(client.markChatUnread.mock.calls).toEqual([[LID_CHAT]]);
  });

  it('a pin the library answers false (3 pinned already) is chat_pin_limit', async () => {
    h.client().pinChat.mockResolvedValueOnce(false);
    await expect(chats().pin(CHAT, true)).rejects.toMatchObject({ code: 'chat_pin_limit' });
  });

  it('mute until a date, for ever, and unmute, with the mute the page reports', async () => {
    const client = h.client();
    client.muteChat.mockResolvedValueOnce({ isMuted: true, muteExpiration: 1_800_000_000 });
    await expect(chats().mute(CHAT, { muted: true, until: 1_800_000_000_000 })).resolves.toEqual({
      muted: true,
      mutedUntil: 1_800_000_000_000,
    });
    await expect(chats().mute(CHAT, { muted: true })).resolves.toEqual({ muted: true, mutedUntil: null });
    await expect(chats().mute(CHAT, { muted: false })).resolves.toEqual({ muted: false, mutedUntil: null });
    expect(client.muteChat.mock.calls).toEqual([
      [LID_CHAT, new Date(1_800_000_000_000)],
      [LID_CHAT, undefined],
    ]);
    expect(client.unmuteChat.mock.calls).toEqual([[LID_CHAT]]);
  });

  it('clear and delete through Chat.clearMessages() and Chat.delete(); false from them is chat_not_found', async () => {
    const chat = { clearMessages: async () => true, delete: async () => false } as unknown as wwebjs.Chat;
    h.client().getChatById.mockResolvedValue(chat);
    await chats().clear(CHAT);
    await expect(chats().delete(CHAT)).rejects.toMatchObject({ code: 'chat_not_found' });
    expect(h.client().getChatById.mock.calls).toEqual([[LID_CHAT], [LID_CHAT]]);
  });

  it('a chat the page does not have is chat_not_found, and no library call is made', async () => {
    page().answer(FIND_CHAT_ID, () => ({ outcome: 'chat_not_found' as const }));
    for (const act of [
      () => chats().archive(CHAT, true),
      () => chats().pin(CHAT, true),
      () => chats().mute(CHAT, { muted: true }),
      () => chats().markUnread(CHAT),
      () => chats().clear(CHAT),
      () => chats().delete(CHAT),
    ]) {
      await expect(act()).rejects.toMatchObject({ code: 'chat_not_found' });
    }
    const client = h.client();
    for (const call of [client.archiveChat, client.pinChat, client.muteChat, client.markChatUnread, client.getChatById]) {
      expect(call).not.toHaveBeenCalled();
    }
  });
});
