/**
 * The client's resume bookkeeping on its own: which `since` a handshake carries, and which arriving
 * events listeners get. The client against a real gateway: gateway-client.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Resume, type ArrivedEvent } from '../../src/client/resume';

const received = (sessionId: string, seq: number, replayed = false): ArrivedEvent => ({
  event: 'message_received',
  payload: { sessionId, seq, ...(replayed && { replayed: true }), message: { text: `${sessionId} ${seq}` } },
});
const seqsOf = (events: ArrivedEvent[]) => events.map(({ payload }) => (payload as { seq: number }).seq);
const feed = (resume: Resume, events: ArrivedEvent[]) => events.flatMap((arrived) => resume.receive(arrived));
/** Enough sessions that their `since` cannot fit a 4096-byte handshake. */
const manySessions = Object.fromEntries(
  Array.from({ length: 150 }, (_, i) => [`idle-session-with-a-long-id-${String(i).padStart(4, '0')}`, 7]),
);

describe('the handshake', () => {
  it('carries the token alone before any seq is known, then the seqs handed over so far', () => {
    const resume = new Resume();
    expect(resume.handshake({ token: 'key' })).toEqual({ token: 'key' });
    feed(resume, [received('a', 1), received('b', 4)]);
    expect(resume.handshake({ token: 'key' })).toEqual({ token: 'key', since: { a: 1, b: 4 } });
    expect(resume.handshake({})).toEqual({ since: { a: 1, b: 4 } });
  });

  it('starts from the `since` it was given, and lastSeqs() is a copy', () => {
    const resume = new Resume({ a: 10 });
    const seqs = resume.lastSeqs();
    seqs.a = 99;
    expect(resume.lastSeqs()).toEqual({ a: 10 });
    expect(resume.handshake({ token: 'key' })).toEqual({ token: 'key', since: { a: 10 } });
    expect(seqsOf(feed(resume, [received('a', 11), received('a', 11, true), received('a', 10), received('a', 12)]))).toEqual([11, 12]);
  });

  it('leaves out a `since` that would not fit under AUTH_MAX_BYTES, which then goes by subscribe', () => {
    const since = { ...manySessions, a: 3 };
    expect(JSON.stringify(since).length).toBeGreaterThan(4096);
    const resume = new Resume(since);
    expect(resume.handshake({ token: 'key' })).toEqual({ token: 'key' });
    expect(resume.bySubscribe(false)?.since).toEqual(since);
    // With a larger limit (a gateway with a higher AUTH_MAX_BYTES) it fits.
    const roomy = new Resume(since, 16_384);
    expect(roomy.handshake({ token: 'key' })).toEqual({ token: 'key', since });
    expect(roomy.bySubscribe(false)).toBeUndefined();
  });
});

describe('what listeners get', () => {
  it('each logged event once: a seq not above the last one is dropped; events without a seq all pass', () => {
    const resume = new Resume();
    resume.handshake({});
    const status = { event: 'qr_code', payload: { sessionId: 'a', qr: 'x' } };
    const handed = feed(resume, [
      received('a', 1),
      received('a', 2),
      received('a', 2, true),
      status,
      status,
      received('a', 1),
      received('a', 3),
    ]);
    expect(handed.map((e) => e.event)).toEqual(['message_received', 'message_received', 'qr_code', 'qr_code', 'message_received']);
    expect(seqsOf(handed.filter((e) => e.event === 'message_received'))).toEqual([1, 2, 3]);
    expect(resume.lastSeqs()).toEqual({ a: 3 });
  });

  it('starts over with a log that did (its store was reset): the first event at or below the seq asked from', () => {
    const resume = new Resume({ a: 500, b: 40 });
    resume.handshake({});
    expect(seqsOf(feed(resume, [received('a', 1, true), received('a', 2, true), received('a', 3)]))).toEqual([1, 2, 3]);
    expect(seqsOf(feed(resume, [received('b', 41), received('b', 12)]))).toEqual([41]);
    expect(resume.lastSeqs()).toEqual({ a: 3, b: 41 });
  });
});

describe('a resume by subscribe', () => {
  function resumingBySubscribe() {
    const resume = new Resume({ ...manySessions, a: 10 });
    resume.handshake({ token: 'key' });
    return { resume, bySubscribe: resume.bySubscribe(false)! };
  }

  it("holds its sessions' events until answered, then hands them over in seq order, then `subscribed`", () => {
    const { resume, bySubscribe } = resumingBySubscribe();
    const subscribed = { event: 'subscribed', payload: { sessionIds: '*', replayed: {} } };
    const other = received('constructor', 5); // a session id that is also a name on every object's prototype
    // What the gateway sends a connection that already follows `a` (since 14): live first, then the older replay.
    const early = feed(resume, [received('a', 15), other, received('a', 16), received('a', 11, true), received('a', 12, true)]);
    expect(early).toEqual([other]);
    expect(feed(resume, [received('a', 13, true), received('a', 14, true), received('a', 17, true), subscribed])).toEqual([]);
    const handed = bySubscribe.answered();
    expect(seqsOf(handed.slice(0, -1))).toEqual([11, 12, 13, 14, 15, 16, 17]);
    expect(handed.at(-1)).toBe(subscribed);
    expect(bySubscribe.answered()).toEqual([]);
    expect(seqsOf(feed(resume, [received('a', 17), received('a', 18)]))).toEqual([18]);
  });

  it('cut off by a disconnect, hands over only what has no gap before it, and asks for the rest next time', () => {
    const { resume, bySubscribe } = resumingBySubscribe();
    feed(resume, [received('a', 15), received('a', 16), received('a', 11, true), received('a', 12, true)]);
    expect(seqsOf(resume.disconnected())).toEqual([11, 12]);
    expect(bySubscribe.answered()).toEqual([]);
    expect(resume.lastSeqs().a).toBe(12);
    expect(resume.handshake({ token: 'key' })).toEqual({ token: 'key' });
    expect(resume.bySubscribe(false)?.since.a).toBe(12);
  });

  it('hands over nothing of a session whose replay had not begun when it was cut off', () => {
    const { resume } = resumingBySubscribe();
    feed(resume, [received('a', 15), received('a', 16)]);
    expect(resume.disconnected()).toEqual([]);
    expect(resume.lastSeqs().a).toBe(10);
  });

  it('is not needed on a connection Socket.IO recovered: the gateway carries on with it', () => {
    const resume = new Resume({ ...manySessions, a: 10 });
    resume.handshake({ token: 'key' });
    expect(resume.bySubscribe(true)).toBeUndefined();
    expect(seqsOf(feed(resume, [received('a', 11)]))).toEqual([11]);
  });
});
