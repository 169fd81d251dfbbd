/**
 * Catch-up after downtime (issue 15) on the real engine: exactly what reads the chats (the page
 * scripts LIST_CHATS, then READ_LOADED_MESSAGES on the chats active since then; no library call
 * that refreshes group metadata, nothing that loads earlier messages), and what comes back: others'
 * messages since `since`, the newest `limit`, oldest first, mapped like live ones.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIST_CHATS, READ_CHAT_MESSAGES, READ_LOADED_MESSAGES, type PageChat } from '../../../src/engines/wwebjs/chat-scripts';
import { PHONES_OF_LIDS } from '../../../src/engines/wwebjs/page-scripts';
import { createHarness, type Harness } from './session-harness';

const ME = '15550001234@c.us';
const PEER = '6281111111111@c.us';
const OTHER = '6282222222222@c.us';
const LID = '211111111111186@lid';
const SINCE_S = 1_700_000_000;
const SINCE = SINCE_S * 1000;

let h: Harness;
beforeEach(async () => {
  h = createHarness();
  await h.session.start();
});
afterEach(async () => {
  await h.cleanup();
});

const page = () => h.client().pupPage!;
const reader = () => h.session.catchUp!;

/** A message as the page serializes it (getMessageModel). */
function model(chat: string, id: string, t: number, fields: { fromMe?: boolean; isStatusV3?: boolean } = {}) {
  const fromMe = fields.fromMe ?? false;
  return {
    id: { fromMe, remote: chat, id, _serialized: `${fromMe}_${chat}_${id}` },
    from: fromMe ? ME : chat,
    to: fromMe ? chat : ME,
    body: id,
    type: 'chat',
    t,
    ...(fields.isStatusV3 && { isStatusV3: true }),
  };
}

type Model = ReturnType<typeof model>;

/** The page holds `chats`, each with its loaded messages (null: deleted before they were read). */
function pageHolds(chats: Array<{ id: string; t: number; unreadCount: number; messages: Model[] | null }>): void {
  const listed: PageChat[] = chats.map(({ id, t, unreadCount }) => ({
    id,
    name: id,
    isGroup: false,
    unreadCount,
    t,
    archive: false,
    pin: 0,
    muteExpiration: 0,
  }));
  page().answer(LIST_CHATS, () => listed);
  page().answer(READ_LOADED_MESSAGES, ({ chatId }) => {
    const messages = chats.find((chat) => chat.id === chatId)?.messages;
    return messages ? { outcome: 'done' as const, messages } : { outcome: 'chat_not_found' as const };
  });
}

describe('reading the chats after a connect', () => {
  it('lists the chats in the page, then reads the loaded messages of those active since then (or unread) only', async () => {
    pageHolds([
      { id: PEER, t: SINCE_S + 10, unreadCount: 0, messages: [model(PEER, 'A', SINCE_S + 10)] },
      { id: OTHER, t: SINCE_S - 100, unreadCount: 2, messages: [] },
      { id: '6283333333333@c.us', t: SINCE_S - 100, unreadCount: 0, messages: [model(OTHER, 'OLD', SINCE_S - 100)] },
      { id: '6284444444444@c.us', t: SINCE_S - 100, unreadCount: -1, messages: [] }, // marked unread by hand: nothing new
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(page().scriptCalls(LIST_CHATS)).toEqual([null]);
    expect(page().scriptCalls(READ_LOADED_MESSAGES)).toEqual([{ chatId: PEER }, { chatId: OTHER }]);
    expect(page().scriptCalls(READ_CHAT_MESSAGES)).toEqual([]);
    expect(h.client().getChatById).not.toHaveBeenCalled();
    expect(found).toMatchObject([{ id: `false_${PEER}_A`, chatId: PEER, text: 'A', fromMe: false, timestamp: (SINCE_S + 10) * 1000 }]);
  });

  it('the script it reads messages with never loads earlier ones (each load may ask the phone)', () => {
    expect(READ_LOADED_MESSAGES).not.toContain('loadEarlierMsgs');
    expect(READ_LOADED_MESSAGES).not.toContain('WAWebChatLoadMessages');
  });

  it("leaves out the account's own messages, status posts and messages before `since`", async () => {
    pageHolds([
      {
        id: PEER,
        t: SINCE_S + 30,
        unreadCount: 0,
        messages: [
          model(PEER, 'BEFORE', SINCE_S - 1),
          model(PEER, 'MINE', SINCE_S + 5, { fromMe: true }),
          model(PEER, 'STATUS', SINCE_S + 6, { isStatusV3: true }),
          model(PEER, 'KEPT', SINCE_S + 7),
        ],
      },
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(found.map((m) => m.text)).toEqual(['KEPT']);
  });

  it('answers the newest `limit` across chats, oldest first', async () => {
    pageHolds([
      { id: PEER, t: SINCE_S + 40, unreadCount: 0, messages: [model(PEER, 'P1', SINCE_S + 10), model(PEER, 'P3', SINCE_S + 30)] },
      { id: OTHER, t: SINCE_S + 40, unreadCount: 0, messages: [model(OTHER, 'O4', SINCE_S + 40), model(OTHER, 'O2', SINCE_S + 20)] },
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 3 });
    expect(found.map((m) => m.text)).toEqual(['O2', 'P3', 'O4']);
  });

  it('looks up the phone of a LID sender as live messages do', async () => {
    pageHolds([{ id: LID, t: SINCE_S + 10, unreadCount: 1, messages: [model(LID, 'L', SINCE_S + 10)] }]);
    page().answer(PHONES_OF_LIDS, () => ({ [LID]: PEER }));
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(page().scriptCalls(PHONES_OF_LIDS)).toEqual([[LID]]);
    expect(found).toMatchObject([{ chatId: LID, from: '6281111111111', fromLid: LID }]);
  });

  it('a chat deleted between the list and its read is skipped; the others are read', async () => {
    pageHolds([
      { id: OTHER, t: SINCE_S + 20, unreadCount: 1, messages: null },
      { id: PEER, t: SINCE_S + 10, unreadCount: 0, messages: [model(PEER, 'A', SINCE_S + 10)] },
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(page().scriptCalls(READ_LOADED_MESSAGES)).toEqual([{ chatId: OTHER }, { chatId: PEER }]);
    expect(found.map((m) => m.text)).toEqual(['A']);
  });

  it('a page failure rejects with engine_error (the session layer tries again at the next connect)', async () => {
    page().answer(LIST_CHATS, () => {
      throw new Error("Cannot read properties of undefined (reading 'getModelsArray')");
    });
    await expect(reader().recentIncoming({ since: SINCE, limit: 10 })).rejects.toMatchObject({ code: 'engine_error' });
  });
});
