/**
 * The sandbox inbox (sandbox-inbox.jsonl in the session's folder): the phone's copy of every message
 * the sandbox delivers, written before the listener gets it, which the catch-up reads after a restart.
 * The file stays open while the session runs; a file deleted meanwhile is noticed, and a write that
 * fails costs the copy, never the live message.
 */
import { promises as fs, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INBOX_FILE } from '../../../src/engines/sandbox/inbox';
import { readJsonLines } from '../../../src/engines/sandbox/json-lines';
import { SandboxSession } from '../../../src/engines/sandbox/sandbox-session';
import { incomingText } from '../../../src/engines/sandbox/sandbox-world';
import type { IncomingMessage } from '../../../src/protocol/schemas';
import { SessionStorage } from '../../../src/storage/session-storage';
import { recordingListener, type RecordingListener } from '../../support/recording-listener';

const SESSION = 'inbox';
const PEER = '6281111111111@c.us';

let root: string;
let storage: SessionStorage;
let events: RecordingListener;
let session: SandboxSession;

const inboxFile = () => path.join(storage.folderOf(SESSION), INBOX_FILE);
const inboxTexts = async () => (await readJsonLines<IncomingMessage>(inboxFile())).map((message) => message.text);
/** How many of this process's open files are the inbox (Linux: /proc/self/fd). */
function openInboxes(): number {
  const targets = readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return ''; // closed meanwhile (the directory's own fd)
    }
  });
  return targets.filter((target) => target === inboxFile()).length;
}
const message = (text: string) => incomingText(PEER, '15550000000', text);

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-inbox-'));
  storage = new SessionStorage(root);
  events = recordingListener();
  session = new SandboxSession(SESSION, events, { storage, scanMs: 0, replyMs: 300, echo: false, qrRefreshMs: 20_000 });
  await session.start();
  await vi.waitFor(() => expect(events.onConnected).toHaveBeenCalled());
});

afterEach(async () => {
  await session.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('the sandbox inbox', () => {
  it('holds each delivered message, one line each, by the time the listener gets it', async () => {
    const linesSeen: number[] = [];
    events.onMessage.mockImplementation(() => {
      linesSeen.push(readFileSync(inboxFile(), 'utf8').split('\n').length - 1);
    });
    session.deliver(message('one'));
    session.deliver(message('two'));
    expect(linesSeen).toEqual([1, 2]);
    expect(await inboxTexts()).toEqual(['one', 'two']);
    expect(await session.catchUp.recentIncoming({ since: 0, limit: 10 })).toMatchObject([{ text: 'one' }, { text: 'two' }]);
  });

  it('stays open while the session runs, one file for every message, and is closed when it stops', async () => {
    session.deliver(message('one'));
    session.deliver(message('two'));
    expect(openInboxes()).toBe(1);
    await session.stop();
    expect(openInboxes()).toBe(0);
  });

  it('a file deleted while the session runs is written anew, not into the deleted one', async () => {
    session.deliver(message('before'));
    await fs.rm(inboxFile());
    session.deliver(message('after'));
    expect(await inboxTexts()).toEqual(['after']);
  });

  it('a folder deleted while the session runs costs the copy, not the live message', async () => {
    session.deliver(message('kept'));
    await fs.rm(storage.folderOf(SESSION), { recursive: true });
    expect(() => session.deliver(message('live only'))).not.toThrow();
    expect(events.onMessage.mock.calls.map(([delivered]) => delivered.text)).toEqual(['kept', 'live only']);
    expect(await inboxTexts()).toEqual([]);
  });

  it('after the session stopped, a message is still appended (the file opened for it)', async () => {
    session.deliver(message('running'));
    await session.stop();
    session.deliver(message('stopped'));
    expect(await inboxTexts()).toEqual(['running', 'stopped']);
  });
});
