/**
 * The sandbox's record of what it sent (sandbox-sent.jsonl in the session's folder) and findSent on
 * it: what a restarted gateway asks to confirm a send the crash interrupted.
 */
import { appendFileSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineListener } from '../../../src/engines/engine';
import type { OutgoingMessage } from '../../../src/engines/capabilities/messaging';
import { readSandboxSent } from '../../../src/engines/sandbox/sandbox-engine';
import { SandboxSession } from '../../../src/engines/sandbox/sandbox-session';
import { SENT_FILE } from '../../../src/engines/sandbox/sent-record';
import { SessionStorage } from '../../../src/storage/session-storage';
import { recordingListener } from '../../support/recording-listener';

const CHAT = '6281111111111@c.us';
const OTHER = '6282222222222@c.us';
const SESSION = 'keeper';
/** 2026-07-20T10:00:00.250Z: a quarter second into a whole second. */
const T0 = Date.UTC(2026, 6, 20, 10, 0, 0, 250);

let root: string;
let storage: SessionStorage;
const sessions: SandboxSession[] = [];

function listener(): EngineListener {
  return recordingListener();
}

async function startSession(events = listener()): Promise<SandboxSession> {
  const session = new SandboxSession(SESSION, events, { storage, scanMs: 0, replyMs: 300, echo: false, qrRefreshMs: 20_000 });
  sessions.push(session);
  await session.start();
  await vi.waitFor(() => expect(events.onConnected).toHaveBeenCalled()); // paired (or restored): sends get their acks
  vi.setSystemTime(T0); // waitFor moved the fake clock on
  return session;
}

function image(caption?: string): OutgoingMessage {
  const bytes = Buffer.from('png bytes');
  return { type: 'image', caption, media: { mimetype: 'image/png', fileName: 'a.png', size: bytes.length, load: async () => bytes } };
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-sent-'));
  storage = new SessionStorage(root);
  vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((session) => session.stop()));
  await fs.rm(root, { recursive: true, force: true });
});

describe('the sandbox record of sends', () => {
  it('holds every send, one line each, once sendMessage has resolved', async () => {
    const session = await startSession();
    const text = await session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' });
    const media = await session.messaging.sendMessage(OTHER, image());
    expect(await readSandboxSent(storage.folderOf(SESSION))).toEqual([
      { id: text.id, chatId: CHAT, type: 'text', text: 'hello', timestamp: T0 },
      { id: media.id, chatId: OTHER, type: 'image', timestamp: T0 },
    ]);
    const lines = (await fs.readFile(path.join(storage.folderOf(SESSION), SENT_FILE), 'utf8')).split('\n');
    expect(lines.map((line) => line && JSON.parse(line))).toEqual([expect.objectContaining({ id: text.id }), expect.any(Object), '']);
  });

  it('is empty for a session that sent nothing', async () => {
    await startSession();
    expect(await readSandboxSent(storage.folderOf(SESSION))).toEqual([]);
  });

  it('skips a last line cut short (the process died inside the write, before the send was reported)', async () => {
    const session = await startSession();
    const sent = await session.messaging.sendMessage(CHAT, { type: 'text', text: 'whole' });
    appendFileSync(path.join(storage.folderOf(SESSION), SENT_FILE), '{"id":"true_62811');
    expect(await readSandboxSent(storage.folderOf(SESSION))).toEqual([expect.objectContaining({ id: sent.id })]);
  });

  it('a send that cannot be put on record fails, and no ack follows it', async () => {
    const events = listener();
    const session = await startSession(events);
    await session.messaging.sendMessage(CHAT, { type: 'text', text: 'kept' });
    await fs.rm(storage.folderOf(SESSION), { recursive: true });
    await expect(session.messaging.sendMessage(CHAT, { type: 'text', text: 'lost?' })).rejects.toMatchObject({
      code: 'engine_error',
      message: 'the sandbox could not record the message (ENOENT); it was not sent',
    });
    vi.advanceTimersByTime(1_000);
    expect(vi.mocked(events.onAck).mock.calls.map(([, ack]) => ack)).toEqual(['server', 'device', 'read']); // the first send's only
  });
});

describe('findSent', () => {
  it('finds a sent text with the id and timestamp sendMessage answered', async () => {
    const session = await startSession();
    const sent = await session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' });
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'hello', since: T0 - 5_000 })).toEqual(sent);
  });

  it('finds nothing where nothing was sent: another chat, or a session that sent nothing', async () => {
    const session = await startSession();
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'hello', since: T0 })).toBeUndefined();
    await session.messaging.sendMessage(OTHER, { type: 'text', text: 'hello' });
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'hello', since: T0 })).toBeUndefined();
  });

  it('compares times to the second: a send in the second of `since` counts, one in the second before does not', async () => {
    const session = await startSession();
    const sent = await session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' });
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'hello', since: T0 + 700 })).toEqual(sent);
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'hello', since: T0 + 750 })).toBeUndefined();
  });

  it('needs the same text, or the same caption', async () => {
    const session = await startSession();
    await session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' });
    const captioned = await session.messaging.sendMessage(CHAT, image('look'));
    const bare = await session.messaging.sendMessage(CHAT, image());
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'hello!', since: T0 })).toBeUndefined();
    expect(await session.messaging.findSent(CHAT, { type: 'image', text: 'look', since: T0 })).toEqual(captioned);
    expect(await session.messaging.findSent(CHAT, { type: 'image', since: T0 })).toEqual(bare);
    expect(await session.messaging.findSent(CHAT, { type: 'image', text: 'other', since: T0 })).toBeUndefined();
  });

  it('finds a poll by its question, a location by its name and address, a sticker or contact card by its type', async () => {
    const session = await startSession();
    const poll = await session.messaging.sendMessage(CHAT, {
      type: 'poll',
      poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false },
    });
    const place = await session.messaging.sendMessage(CHAT, {
      type: 'location',
      location: { latitude: 1, longitude: 2, name: 'Monas', address: 'Jakarta' },
    });
    const card = await session.messaging.sendMessage(CHAT, { type: 'contact', cards: { chatIds: [OTHER] } });
    const bytes = Buffer.from('webp');
    const sticker = await session.messaging.sendMessage(CHAT, {
      type: 'sticker',
      media: { mimetype: 'image/webp', fileName: 's.webp', size: bytes.length, load: async () => bytes },
    });
    expect(await session.messaging.findSent(CHAT, { type: 'poll', text: 'Lunch?', since: T0 })).toEqual(poll);
    expect(await session.messaging.findSent(CHAT, { type: 'poll', text: 'Dinner?', since: T0 })).toBeUndefined();
    expect(await session.messaging.findSent(CHAT, { type: 'location', text: 'Monas\nJakarta', since: T0 })).toEqual(place);
    expect(await session.messaging.findSent(CHAT, { type: 'location', text: 'Monas', since: T0 })).toBeUndefined();
    expect(await session.messaging.findSent(CHAT, { type: 'contact', since: T0 })).toEqual(card);
    expect(await session.messaging.findSent(CHAT, { type: 'sticker', since: T0 })).toEqual(sticker);
  });

  it('needs the same type', async () => {
    const session = await startSession();
    await session.messaging.sendMessage(CHAT, image('look'));
    expect(await session.messaging.findSent(CHAT, { type: 'document', text: 'look', since: T0 })).toBeUndefined();
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'look', since: T0 })).toBeUndefined();
  });

  it('answers the earliest match at or after `since`', async () => {
    const session = await startSession();
    await session.messaging.sendMessage(CHAT, { type: 'text', text: 'again' });
    vi.setSystemTime(T0 + 10_000);
    const second = await session.messaging.sendMessage(CHAT, { type: 'text', text: 'again' });
    vi.setSystemTime(T0 + 20_000);
    const third = await session.messaging.sendMessage(CHAT, { type: 'text', text: 'again' });
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'again', since: T0 + 5_000 })).toEqual(second);
    expect(await session.messaging.findSent(CHAT, { type: 'text', text: 'again', since: T0 + 15_000 })).toEqual(third);
  });

  it('survives a restart: a new session on the same folder finds what the last one sent', async () => {
    const before = await startSession();
    const sent = await before.messaging.sendMessage(CHAT, { type: 'text', text: 'before the crash' });
    const after = await startSession();
    expect(await after.messaging.findSent(CHAT, { type: 'text', text: 'before the crash', since: T0 })).toEqual(sent);
    await after.messaging.sendMessage(CHAT, { type: 'text', text: 'after the crash' });
    expect((await readSandboxSent(storage.folderOf(SESSION))).map((record) => record.text)).toEqual([
      'before the crash',
      'after the crash',
    ]);
  });

  it('rejects when the record cannot be read at all', async () => {
    const session = await startSession();
    await fs.mkdir(path.join(storage.folderOf(SESSION), SENT_FILE)); // a folder where the file should be
    await expect(session.messaging.findSent(CHAT, { type: 'text', text: 'hello', since: T0 })).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
