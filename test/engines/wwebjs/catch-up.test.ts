/**
 * Catch-up after downtime (issue 15) on the real engine: exactly which library calls read the chats
 * (getChats, then fetchMessages({}) on the chats active since then, never with a limit, which would
 * ask the phone for earlier messages), and what comes back: others' messages since `since`, the
 * newest `limit`, oldest first, mapped like live ones.
 */
import type wwebjs from 'whatsapp-web.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { libraryMessage } from './fake-client';
import { createHarness, type Harness } from './session-harness';

const PEER = '6281111111111@c.us';
const OTHER = '6282222222222@c.us';
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

function message(chat: string, id: string, timestamp: number, fields: Parameters<typeof libraryMessage>[0] = {}): wwebjs.Message {
  const fromMe = fields.fromMe ?? false;
  return libraryMessage({
    id: { fromMe, remote: chat, id, _serialized: `${fromMe}_${chat}_${id}` } as wwebjs.MessageId,
    from: fromMe ? '15550001234@c.us' : chat,
    to: fromMe ? chat : '15550001234@c.us',
    body: id,
    timestamp,
    ...fields,
  });
}

function chat(timestamp: number, unreadCount: number, messages: wwebjs.Message[]) {
  return { timestamp, unreadCount, fetchMessages: vi.fn(async () => messages) } as unknown as wwebjs.Chat & {
    fetchMessages: ReturnType<typeof vi.fn>;
  };
}

const reader = () => h.session.catchUp!;

describe('reading the chats after a connect', () => {
  it('fetches the loaded messages of the chats active since then (or unread), without a limit', async () => {
    const recent = chat(SINCE_S + 10, 0, [message(PEER, 'A', SINCE_S + 10)]);
    const unread = chat(SINCE_S - 100, 2, []);
    const quiet = chat(SINCE_S - 100, 0, [message(OTHER, 'OLD', SINCE_S - 100)]);
    h.client().getChats.mockResolvedValue([recent, unread, quiet]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(h.client().getChats).toHaveBeenCalledTimes(1);
    expect(recent.fetchMessages.mock.calls).toEqual([[{}]]);
    expect(unread.fetchMessages.mock.calls).toEqual([[{}]]);
    expect(quiet.fetchMessages).not.toHaveBeenCalled();
    expect(found).toMatchObject([{ id: `false_${PEER}_A`, chatId: PEER, text: 'A', fromMe: false, timestamp: (SINCE_S + 10) * 1000 }]);
  });

  it("leaves out the account's own messages, status posts and messages before `since`", async () => {
    h.client().getChats.mockResolvedValue([
      chat(SINCE_S + 30, 0, [
        message(PEER, 'BEFORE', SINCE_S - 1),
        message(PEER, 'MINE', SINCE_S + 5, { fromMe: true }),
        message(PEER, 'STATUS', SINCE_S + 6, { isStatus: true }),
        message(PEER, 'KEPT', SINCE_S + 7),
      ]),
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 10 });
    expect(found.map((m) => m.text)).toEqual(['KEPT']);
  });

  it('answers the newest `limit` across chats, oldest first', async () => {
    h.client().getChats.mockResolvedValue([
      chat(SINCE_S + 40, 0, [message(PEER, 'P1', SINCE_S + 10), message(PEER, 'P3', SINCE_S + 30)]),
      chat(SINCE_S + 40, 0, [message(OTHER, 'O2', SINCE_S + 20), message(OTHER, 'O4', SINCE_S + 40)]),
    ]);
    const found = await reader().recentIncoming({ since: SINCE, limit: 3 });
    expect(found.map((m) => m.text)).toEqual(['O2', 'P3', 'O4']);
  });

  it('a library failure rejects with engine_error (the session layer tries again at the next connect)', async () => {
    h.client().getChats.mockRejectedValue(new Error("Cannot read properties of undefined (reading 'r')"));
    await expect(reader().recentIncoming({ since: SINCE, limit: 10 })).rejects.toMatchObject({ code: 'engine_error' });
  });
});
