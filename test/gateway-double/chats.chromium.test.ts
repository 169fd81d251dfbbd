/**
 * Chats and history through the Socket.IO API with the real engine: whatsapp-web.js in headless
 * Chromium against the WhatsApp Web double, on every profile (on the 2026-07 ones message keys are
 * minified until the engine mends them, and on 2026-07-lid a person's chat lives under their LID).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, chatActions, chatState, seedChat, type DoubleProfile, type HistoryMessage } from '../../double/harness';
import { hasBrowser } from '../../double/gateway';
import { pairedOnDouble } from './support';

const SESSION = 'chats';
const CONTACT = '6281111111111';
const OTHERS = ['6282222222221', '6282222222222', '6282222222223'];
const HISTORY: HistoryMessage[] = Array.from({ length: 45 }, (_, i) => ({
  body: `message ${i}`,
  fromMe: i % 5 === 0,
  t: 1_750_000_000 + i * 60,
}));

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'chats with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    const paired = pairedOnDouble(SESSION, profile);
    let chatId: string;
    /** The ids the page holds OTHERS' chats under. */
    const otherIds: string[] = [];

    beforeAll(async () => {
      chatId = await seedChat(paired.device.page, { from: `${CONTACT}@c.us`, messages: HISTORY, loaded: 10 });
      for (const [i, from] of OTHERS.entries()) {
        otherIds[i] = await seedChat(paired.device.page, {
          from: `${from}@c.us`,
          messages: [{ body: 'hi', t: 1_740_000_000 + i }],
          loaded: 1,
        });
      }
    });

    it('lists the chats newest activity first, in pages', async () => {
      const first = await paired.api.request('get_chats', { sessionId: SESSION, limit: 2 });
      expect(first.chats[0]).toMatchObject({ id: chatId, isGroup: false, archived: false, pinned: false, muted: false });
      expect(first.chats[0]!.lastMessageAt).toBe(HISTORY[44]!.t * 1000);
      const second = await paired.api.request('get_chats', { sessionId: SESSION, limit: 2, cursor: first.nextCursor! });
      expect(second.nextCursor).toBeNull();
      expect(new Set([...first.chats, ...second.chats].map((chat) => chat.id)).size).toBe(4);
    });

    it('fetches the history newest first, loading earlier messages from the phone, page after page', async () => {
      const texts: string[] = [];
      let before: string | undefined;
      for (let page = 0; page < 4; page += 1) {
        const answer = await paired.api.request('fetch_messages', { sessionId: SESSION, chatId, limit: 15, ...(before && { before }) });
        texts.push(...answer.messages.map((m) => m.text));
        for (const m of answer.messages) expect(m.id).toMatch(/^(true|false)_/);
        if (!answer.nextBefore) break;
        before = answer.nextBefore;
      }
      expect(texts).toEqual(HISTORY.map((m) => m.body).reverse());
      const first = await paired.api.request('fetch_messages', { sessionId: SESSION, chatId, limit: 1 });
      expect(first.messages[0]).toMatchObject({ chatId, fromMe: false, type: 'text', timestamp: HISTORY[44]!.t * 1000 });
      expect((await chatActions(paired.device.page)).filter((a) => a.action === 'loadEarlier').length).toBeGreaterThan(0);
    });

    it('a person’s chat named by number finds their chat, and a chat the page does not have is chat_not_found', async () => {
      const byNumber = await paired.api.request('fetch_messages', { sessionId: SESSION, chatId: CONTACT, limit: 1 });
      expect(byNumber.messages[0]!.text).toBe('message 44');
      await expect(paired.api.request('fetch_messages', { sessionId: SESSION, chatId: '6289999999999', limit: 1 })).rejects.toMatchObject({
        code: 'chat_not_found',
      });
      await expect(paired.api.request('archive_chat', { sessionId: SESSION, chatId: '6289999999999' })).rejects.toMatchObject({
        code: 'chat_not_found',
      });
      expect(await chatState(paired.device.page, '6289999999999@c.us')).toBeNull(); // nothing was created
    });

    it('archives, pins (at most 3), mutes and marks unread, as the page then holds them', async () => {
      const until = Date.now() + 3_600_000;
      await paired.api.request('archive_chat', { sessionId: SESSION, chatId });
      await paired.api.request('mark_chat_unread', { sessionId: SESSION, chatId: OTHERS[0]! });
      await expect(paired.api.request('mute_chat', { sessionId: SESSION, chatId, until })).resolves.toMatchObject({
        muted: true,
        mutedUntil: Math.floor(until / 1000) * 1000,
      });
      for (const other of OTHERS) await paired.api.request('pin_chat', { sessionId: SESSION, chatId: other });
      await expect(paired.api.request('pin_chat', { sessionId: SESSION, chatId })).rejects.toMatchObject({ code: 'chat_pin_limit' });
      expect(await chatState(paired.device.page, chatId)).toMatchObject({
        archive: true,
        pin: 0,
        muteExpiration: Math.floor(until / 1000),
      });
      const listed = (await paired.api.request('get_chats', { sessionId: SESSION })).chats;
      expect(listed.find((c) => c.id === chatId)).toMatchObject({ archived: true, pinned: false, muted: true });
      expect(listed.filter((c) => c.pinned)).toHaveLength(3);
      expect(listed.find((c) => c.markedUnread)).toBeDefined();
      await paired.api.request('pin_chat', { sessionId: SESSION, chatId: OTHERS[0]!, pinned: false });
      await paired.api.request('archive_chat', { sessionId: SESSION, chatId, archived: false });
      await expect(paired.api.request('mute_chat', { sessionId: SESSION, chatId, muted: false })).resolves.toMatchObject({ muted: false });
      expect(await chatState(paired.device.page, chatId)).toMatchObject({ archive: false, muteExpiration: 0 });
    });

    it('clears a chat (it stays) and deletes one (it is gone)', async () => {
      await paired.api.request('clear_chat', { sessionId: SESSION, chatId: OTHERS[1]! });
      const listed = (await paired.api.request('get_chats', { sessionId: SESSION })).chats.map((chat) => chat.id);
      expect(listed).toContain(otherIds[1]);
      const cleared = await paired.api.request('fetch_messages', { sessionId: SESSION, chatId: OTHERS[1]!, limit: 5 });
      expect(cleared.messages).toEqual([]);
      await paired.api.request('delete_chat', { sessionId: SESSION, chatId: OTHERS[2]! });
      await expect(paired.api.request('fetch_messages', { sessionId: SESSION, chatId: OTHERS[2]!, limit: 5 })).rejects.toMatchObject({
        code: 'chat_not_found',
      });
      expect((await paired.api.request('get_chats', { sessionId: SESSION })).chats.map((chat) => chat.id)).not.toContain(otherIds[2]);
      expect(await chatState(paired.device.page, otherIds[2]!)).toBeNull();
      expect((await chatActions(paired.device.page)).map((a) => a.action)).toEqual(expect.arrayContaining(['clear', 'delete']));
    });
  },
);
