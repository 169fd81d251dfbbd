/**
 * Catch-up after downtime (issue 15) on the real engine: exactly what reads the chats (one page
 * script, READ_RECENT_INCOMING, for all of them; no library call that refreshes group metadata or
 * creates a chat, nothing that loads earlier messages), and what comes back: others' messages since
 * `since` from the chats active since then, the newest `limit`, oldest first, mapped like live ones.
 * The script itself runs here, in Node, on a stand-in for the page's chat collection.
 */
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { READ_RECENT_INCOMING } from '../../../src/engines/wwebjs/chat-scripts';
import { PHONES_OF_LIDS } from '../../../src/engines/wwebjs/page-scripts';
import { startedHarnessPerTest } from './session-harness';

const ME = '15550001234@c.us';
const PEER = '6281111111111@c.us';
const OTHER = '6282222222222@c.us';
const LID = '211111111111186@lid';
const SINCE_S = 1_700_000_000;
const SINCE = SINCE_S * 1000;

const h = startedHarnessPerTest();

const page = () => h.client().pupPage!;
const reader = () => h.session.catchUp!;

/** A message as the page holds it; getMessageModel below serializes it as itself (its key already a plain object). */
function model(chat: string, id: string, t: number, fields: { fromMe?: boolean; isStatusV3?: boolean; isNotification?: boolean } = {}) {
  const fromMe = fields.fromMe ?? false;
  return {
    id: { fromMe, remote: chat, id, _serialized: `${fromMe}_${chat}_${id}` },
    from: fromMe ? ME : chat,
    to: fromMe ? chat : ME,
    body: id,
    type: 'chat',
    t,
    ...(fields.isStatusV3 && { isStatusV3: true }),
    ...(fields.isNotification && { isNotification: true }),
  };
}

type Model = ReturnType<typeof model>;

/** The page's chat collection holds `chats`, each with its loaded messages; READ_RECENT_INCOMING runs on it. */
function pageHolds(chats: Array<{ id: string; t?: number; unreadCount: number; messages: Model[] }>): void {
  const chatModels = chats.map(({ id, t, unreadCount, messages }) => ({
    id: { user: id.split('@')[0], server: id.split('@')[1], toString: () => id },
    t,
    unreadCount,
    msgs: { getModelsArray: () => messages },
  }));
  const window = {
    require: (name: string) => {
      if (name !== 'WAWebCollections') throw new Error(`the catch-up read ${name}`);
      return { Chat: { getModelsArray: () => chatModels } };
    },
    WWebJS: { getMessageModel: (message: Model) => ({ ...message }) },
  };
  const script = vm.runInNewContext(`(${READ_RECENT_INCOMING})`, { window }) as (arg: unknown) => Promise<unknown>;
  page().answer(READ_RECENT_INCOMING, (arg) => script(arg) as Promise<Array<Record<string, unknown>>>);
}

describe('reading the chats after a connect', () => {
  it('reads every chat in one page call, and of them only those active since then (or unread)', async () => {
    pageHolds([
      { id: PEER, t: SINCE_S + 10, unreadCount: 0, messages: [model(PEER, 'A', SINCE_S + 10)] },
      { id: OTHER, t: SINCE_S - 100, unreadCount: 2, messages: [model(OTHER, 'B', SINCE_S + 20)] },
      { id: '6283333333333@c.us', t: SINCE_S - 100, unreadCount: 0, messages: [model('6283333333333@c.us', 'IDLE', SINCE_S + 30)] },
      { id: '6284444444444@c.us', unreadCount: -1, messages: [model('6284444444444@c.us', 'MARKED', SINCE_S + 40)] }, // marked unread by hand
      { id: 'status@broadcast', t: SINCE_S + 50, unreadCount: 1, messages: [model('status@broadcast', 'STATUS', SINCE_S + 50)] },
    ]);
    const before = page().evaluate.mock.calls.length;
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(page().evaluate).toHaveBeenCalledTimes(before + 1); // five chats, one page call
    expect(page().scriptCalls(READ_RECENT_INCOMING)).toEqual([{ since: SINCE, limit: 10 }]);
    expect(h.client().getChatById).not.toHaveBeenCalled();
    expect(found.map((m) => m.text)).toEqual(['A', 'B']);
    expect(found[0]).toMatchObject({ id: `false_${PEER}_A`, chatId: PEER, text: 'A', fromMe: false, timestamp: (SINCE_S + 10) * 1000 });
  });

  it('the script never loads earlier messages (each load may ask the phone), creates no chat, asks for no group metadata', () => {
    for (const call of ['loadEarlierMsgs', 'WAWebChatLoadMessages', 'findOrCreateLatestChat', 'getChatModel', 'GroupMetadata']) {
      expect(READ_RECENT_INCOMING).not.toContain(call);
    }
  });

  it("leaves out the account's own messages, status posts, notifications and messages before `since`", async () => {
    pageHolds([
      {
        id: PEER,
        t: SINCE_S + 30,
        unreadCount: 0,
        messages: [
          model(PEER, 'BEFORE', SINCE_S - 1),
          model(PEER, 'MINE', SINCE_S + 5, { fromMe: true }),
          model(PEER, 'STATUS', SINCE_S + 6, { isStatusV3: true }),
          model(PEER, 'NOTIFICATION', SINCE_S + 7, { isNotification: true }),
          model(PEER, 'KEPT', SINCE_S + 8),
        ],
      },
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(found.map((m) => m.text)).toEqual(['KEPT']);
  });

  it("answers the newest `limit` across chats, oldest first; a tie keeps the chats' order", async () => {
    pageHolds([
      { id: PEER, t: SINCE_S + 40, unreadCount: 0, messages: [model(PEER, 'P1', SINCE_S + 10), model(PEER, 'P3', SINCE_S + 30)] },
      { id: OTHER, t: SINCE_S + 40, unreadCount: 0, messages: [model(OTHER, 'O4', SINCE_S + 40), model(OTHER, 'O2', SINCE_S + 20)] },
      { id: LID, t: SINCE_S + 30, unreadCount: 0, messages: [model(LID, 'L3', SINCE_S + 30)] },
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 4 });
    expect(found.map((m) => m.text)).toEqual(['O2', 'P3', 'L3', 'O4']);
  });

  it('looks up the phone of a LID sender as live messages do', async () => {
    pageHolds([{ id: LID, t: SINCE_S + 10, unreadCount: 1, messages: [model(LID, 'L', SINCE_S + 10)] }]);
    page().answer(PHONES_OF_LIDS, () => ({ [LID]: PEER }));
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(page().scriptCalls(PHONES_OF_LIDS)).toEqual([[LID]]);
    expect(found).toMatchObject([{ chatId: LID, from: '6281111111111', fromLid: LID }]);
  });

  it('a page failure rejects with engine_error (the session layer tries again at the next connect)', async () => {
    page().answer(READ_RECENT_INCOMING, () => {
      throw new Error("Cannot read properties of undefined (reading 'getModelsArray')");
    });
    await expect(reader().recentIncoming({ since: SINCE, limit: 10 })).rejects.toMatchObject({ code: 'engine_error' });
  });
});
