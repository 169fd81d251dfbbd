/**
 * The sandbox's acks on one timer per session: server, device and read 50, 100 and 150 ms after each
 * send, in order, whatever the number of messages, and none once the session stopped.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AckStatus } from '../../../src/protocol/schemas';
import { SandboxAcks } from '../../../src/engines/sandbox/acks';
import { SandboxSession } from '../../../src/engines/sandbox/sandbox-session';
import { SessionStorage } from '../../../src/storage/session-storage';
import { recordingListener, type RecordingListener } from '../../support/recording-listener';

const CHAT = '6281111111111@c.us';
const MESSAGES = 40;
/** Sends 10 ms apart: one message's read is due with a later one's device and a later one's server. */
const SEND_GAP_MS = 10;

let root: string;
let session: SandboxSession | undefined;

interface Reported {
  messageId: string;
  ack: AckStatus;
  at: number;
}

async function connectedSession(): Promise<{ session: SandboxSession; reported: Reported[] }> {
  const events: RecordingListener = recordingListener();
  const reported: Reported[] = [];
  events.onAck.mockImplementation((messageId, ack) => reported.push({ messageId, ack, at: performance.now() }));
  session = new SandboxSession('acks', events, {
    storage: new SessionStorage(root),
    scanMs: 0,
    replyMs: 300,
    echo: false,
    qrRefreshMs: 20_000,
  });
  await session.start();
  await vi.waitFor(() => expect(events.onConnected).toHaveBeenCalled());
  return { session, reported };
}

/** Sends MESSAGES texts SEND_GAP_MS apart; answers each id with the time it was sent. */
async function sendMany(sending: SandboxSession): Promise<{ id: string; sentAt: number }[]> {
  const sent: { id: string; sentAt: number }[] = [];
  for (let i = 0; i < MESSAGES; i += 1) {
    const sentAt = performance.now();
    const { id } = await sending.messaging.sendMessage(CHAT, { type: 'text', text: `message ${i}` });
    sent.push({ id, sentAt });
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(SEND_GAP_MS);
  }
  return sent;
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-acks-'));
  vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'clearTimeout'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await session?.stop();
  session = undefined;
  await fs.rm(root, { recursive: true, force: true });
});

describe('sandbox acks', () => {
  it('come 50, 100 and 150 ms after each send, in due order, from one pending timer', async () => {
    const { session: sending, reported } = await connectedSession();
    const sent = await sendMany(sending);
    for (let ms = 0; ms < 200; ms += 1) {
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
      vi.advanceTimersByTime(1);
    }
    expect(vi.getTimerCount()).toBe(0);

    const expected = sent.flatMap(({ id, sentAt }) =>
      (['server', 'device', 'read'] as const).map((ack, step) => ({ messageId: id, ack, at: sentAt + 50 * (step + 1) })),
    );
    expect(reported).toHaveLength(MESSAGES * 3);
    // Stable: acks due together come in send order, and each message's in its own order.
    expect(reported).toEqual([...expected].sort((a, b) => a.at - b.at));
  });

  it('none after the session stops, and no timer left', async () => {
    const { session: sending, reported } = await connectedSession();
    await sendMany(sending);
    const before = reported.length;
    expect(before).toBeGreaterThan(0); // the first messages' acks came while the others were sent
    await sending.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1_000);
    expect(reported).toHaveLength(before);
    await sending.messaging.sendMessage(CHAT, { type: 'text', text: 'after stop' });
    vi.advanceTimersByTime(1_000);
    expect(reported).toHaveLength(before);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keep their times and order for a message sent after more than a thousand acknowledged ones', () => {
    const reported: string[] = [];
    const acks = new SandboxAcks((messageId, ack) => reported.push(`${messageId} ${ack}`));
    for (let i = 0; i < 1_100; i += 1) acks.schedule(`m${i}`);
    vi.advanceTimersByTime(10);
    acks.schedule('late'); // server at 60, device at 110, read at 160
    vi.advanceTimersByTime(140); // at 150 the first 1,100 are read and dropped; 'late' is not
    const each = (ack: AckStatus) => Array.from({ length: 1_100 }, (_, i) => `m${i} ${ack}`);
    expect(reported).toEqual([...each('server'), 'late server', ...each('device'), 'late device', ...each('read')]);
    vi.advanceTimersByTime(9);
    expect(reported.at(-1)).toBe('m1099 read');
    vi.advanceTimersByTime(1);
    expect(reported.at(-1)).toBe('late read');
    expect(vi.getTimerCount()).toBe(0);
  });
});
