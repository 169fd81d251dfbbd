/**
 * get_chats, fetch_messages and the chat actions through Socket.IO on the sandbox (issue 15): the
 * chat list built from the session's messages, its pages, history pages, the flags, and each refusal.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'chats';
const PEER = '6282284316465';
const CHAT = `${PEER}@c.us`;
const OTHER = '6282284316466@c.us';

const { connected, notConnected } = sandboxGatewayPerTest(SESSION);

const inject = async (client: GatewayClient, from: string, text: string) =>
  (await client.request('sandbox_inject_message', { sessionId: SESSION, from, text })).message;

describe('get_chats', () => {
  it('lists the chats of the session, newest activity first, with unread counts from the messages', async () => {
    const client = await connected();
    await inject(client, PEER, 'one');
    await inject(client, PEER, 'two');
    await client.sendMessage({ sessionId: SESSION, to: OTHER, message: 'hello' });
    const { chats, nextCursor } = await client.request('get_chats', { sessionId: SESSION });
    expect(chats.map((chat) => chat.id)).toEqual([OTHER, CHAT]);
    expect(chats[1]).toMatchObject({ name: 'Contact 6465', isGroup: false, unreadCount: 2, archived: false, pinned: false, muted: false });
    expect(chats[0]!.unreadCount).toBe(0);
    expect(chats[0]!.lastMessageAt).toBeGreaterThanOrEqual(chats[1]!.lastMessageAt!);
    expect(nextCursor).toBeNull();
  });

  it('pages with the cursor, each chat once, and refuses a cursor it did not give', async () => {
    const client = await connected();
    for (let i = 0; i < 5; i += 1) await inject(client, `62822843164${70 + i}`, `hi ${i}`);
    const first = await client.request('get_chats', { sessionId: SESSION, limit: 2 });
    const second = await client.request('get_chats', { sessionId: SESSION, limit: 2, cursor: first.nextCursor! });
    const third = await client.request('get_chats', { sessionId: SESSION, limit: 2, cursor: second.nextCursor! });
    const ids = [...first.chats, ...second.chats, ...third.chats].map((chat) => chat.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
    await expect(client.request('get_chats', { sessionId: SESSION, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    await expect(client.request('get_chats', { sessionId: SESSION, limit: 201 })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});

describe('fetch_messages', () => {
  it('answers newest first in the shape of message_received, a page at a time with nextBefore', async () => {
    const client = await connected();
    const sent = [];
    for (const text of ['a', 'b', 'c']) sent.push(await inject(client, PEER, text));
    const mine = await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'mine' });
    const page = await client.request('fetch_messages', { sessionId: SESSION, chatId: CHAT, limit: 2 });
    expect(page.messages.map((m) => m.text)).toEqual(['mine', 'c']);
    expect(page.messages[0]).toMatchObject({ id: mine.messageId, fromMe: true, chatId: CHAT, type: 'text' });
    expect(page.messages[1]).toEqual(sent[2]);
    expect(page.nextBefore).toBe(sent[2]!.id);
    const older = await client.request('fetch_messages', { sessionId: SESSION, chatId: PEER, limit: 2, before: page.nextBefore! });
    expect(older.messages.map((m) => m.text)).toEqual(['b', 'a']);
    const last = await client.request('fetch_messages', { sessionId: SESSION, chatId: CHAT, limit: 2, before: sent[0]!.id });
    expect(last).toEqual({ sessionId: SESSION, chatId: CHAT, messages: [], nextBefore: null });
  });

  it('refuses an unknown chat, a before of no message of the chat, and a limit over 100', async () => {
    const client = await connected();
    await inject(client, PEER, 'a');
    await expect(client.request('fetch_messages', { sessionId: SESSION, chatId: OTHER, limit: 5 })).rejects.toMatchObject({
      code: 'chat_not_found',
    });
    await expect(
      client.request('fetch_messages', { sessionId: SESSION, chatId: CHAT, limit: 5, before: `false_${CHAT}_NOSUCH` }),
    ).rejects.toMatchObject({ code: 'message_not_found' });
    await expect(client.request('fetch_messages', { sessionId: SESSION, chatId: CHAT, limit: 101 })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
  });
});

describe('chat actions', () => {
  it('archive, pin, mute, mark unread show in get_chats, and undo', async () => {
    const client = await connected();
    await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'hello' });
    const until = Date.now() + 3_600_000;
    await expect(client.request('archive_chat', { sessionId: SESSION, chatId: CHAT })).resolves.toEqual({
      sessionId: SESSION,
      chatId: CHAT,
      archived: true,
    });
    await expect(client.request('pin_chat', { sessionId: SESSION, chatId: CHAT })).resolves.toMatchObject({ pinned: true });
    await expect(client.request('mute_chat', { sessionId: SESSION, chatId: CHAT, until })).resolves.toEqual({
      sessionId: SESSION,
      chatId: CHAT,
      muted: true,
      mutedUntil: until,
    });
    await client.request('mark_chat_unread', { sessionId: SESSION, chatId: CHAT });
    const [chat] = (await client.request('get_chats', { sessionId: SESSION })).chats;
    expect(chat).toMatchObject({ archived: true, pinned: true, muted: true, mutedUntil: until, markedUnread: true, unreadCount: 0 });
    await client.request('archive_chat', { sessionId: SESSION, chatId: CHAT, archived: false });
    await client.request('pin_chat', { sessionId: SESSION, chatId: CHAT, pinned: false });
    await expect(client.request('mute_chat', { sessionId: SESSION, chatId: CHAT, muted: false })).resolves.toMatchObject({
      muted: false,
      mutedUntil: null,
    });
    const [after] = (await client.request('get_chats', { sessionId: SESSION })).chats;
    expect(after).toMatchObject({ archived: false, pinned: false, muted: false, mutedUntil: null });
  });

  it('clear_chat empties the history and keeps the chat; delete_chat removes it', async () => {
    const client = await connected();
    await inject(client, PEER, 'a');
    await expect(client.request('clear_chat', { sessionId: SESSION, chatId: CHAT })).resolves.toEqual({ sessionId: SESSION, chatId: CHAT });
    expect((await client.request('fetch_messages', { sessionId: SESSION, chatId: CHAT, limit: 5 })).messages).toEqual([]);
    expect((await client.request('get_chats', { sessionId: SESSION })).chats.map((chat) => chat.id)).toEqual([CHAT]);
    await client.request('delete_chat', { sessionId: SESSION, chatId: CHAT });
    expect((await client.request('get_chats', { sessionId: SESSION })).chats).toEqual([]);
    await expect(client.request('archive_chat', { sessionId: SESSION, chatId: CHAT })).rejects.toMatchObject({ code: 'chat_not_found' });
  });

  it('refuses a fourth pin with chat_pin_limit, a past or misplaced until, and chats the session does not have', async () => {
    const client = await connected();
    for (let i = 0; i < 4; i += 1) await inject(client, `62822843164${70 + i}`, 'hi');
    for (let i = 0; i < 3; i += 1) await client.request('pin_chat', { sessionId: SESSION, chatId: `62822843164${70 + i}@c.us` });
    await expect(client.request('pin_chat', { sessionId: SESSION, chatId: '6282284316473@c.us' })).rejects.toMatchObject({
      code: 'chat_pin_limit',
    });
    await expect(client.request('mute_chat', { sessionId: SESSION, chatId: '6282284316473@c.us', until: 1000 })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    await expect(
      client.request('mute_chat', { sessionId: SESSION, chatId: '6282284316473@c.us', muted: false, until: Date.now() + 60_000 }),
    ).rejects.toMatchObject({ code: 'invalid_payload' });
    for (const event of ['archive_chat', 'pin_chat', 'mute_chat', 'mark_chat_unread', 'clear_chat', 'delete_chat'] as const) {
      await expect(client.request(event, { sessionId: SESSION, chatId: OTHER })).rejects.toMatchObject({ code: 'chat_not_found' });
    }
    await expect(client.request('archive_chat', { sessionId: SESSION, chatId: 'nope' })).rejects.toMatchObject({ code: 'invalid_number' });
  });

  it('refuses a session that is not connected', async () => {
    const client = await notConnected();
    await expect(client.request('get_chats', { sessionId: SESSION })).rejects.toMatchObject({ code: 'session_not_connected' });
  });
});
