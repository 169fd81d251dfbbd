/**
 * The receiving slice of issue 14 over Socket.IO, against the real gateway with the sandbox: own
 * messages, replies and what else a message carries, edits, deletions, reactions, poll votes and
 * calls (REJECT_CALLS), each an event with its seq that a resuming bot gets again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayRequestError, type GatewayClient } from '../../src/client/gateway-client';
import { sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-engine';
import type { ServerEventName } from '../../src/protocol/events';
import { collect, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const SESSION = 'receiver';
const PEER = '6282284316465';
const REPLY = 'This number does not take calls; please write instead.';

let gateway: TestGateway;
let client: GatewayClient;

beforeAll(async () => {
  gateway = await startSandboxGateway({ REJECT_CALLS: 'true', REJECT_CALLS_MESSAGE: REPLY, SANDBOX_ECHO: 'false' });
  client = await gateway.client();
  const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === SESSION);
  await client.startSession(SESSION);
  await connected;
});
afterAll(() => gateway.shutdown());

function inject(text: string, extra: Record<string, unknown> = {}) {
  return client.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text, ...extra });
}

describe('own messages', () => {
  it('a message sent from the phone is own_message with fromMe, never message_received', async () => {
    const received = collect(client, 'message_received');
    const event = nextEvent(client, 'own_message', (p) => p.message.text === 'from my phone');
    const answer = await client.request('sandbox_inject_own_message', { sessionId: SESSION, to: PEER, text: 'from my phone' });
    expect(answer.message).toMatchObject({
      fromMe: true,
      from: sandboxPhoneNumber(SESSION),
      chatId: `${PEER}@c.us`,
      key: { fromMe: true },
    });
    expect(await event).toMatchObject({ sessionId: SESSION, message: answer.message, seq: expect.any(Number) });
    await client.getSessionStatus(SESSION); // one more round trip: any message_received would have come by now
    expect(received).toEqual([]);
  });

  it('a send through the gateway is message_sent only', async () => {
    const own = collect(client, 'own_message');
    await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'through the gateway', type: 'text' });
    await client.getSessionStatus(SESSION);
    expect(own).toEqual([]);
  });
});

describe('what a received message carries', () => {
  it('quoted: the message it replies to', async () => {
    const first = await inject('what time?');
    const reply = await inject('at 8', { quotedMessageId: first.message.id });
    expect(reply.message.quoted).toEqual({ id: first.message.id, from: PEER, text: 'what time?', type: 'text' });
    await expect(inject('to nothing', { quotedMessageId: 'false_1@c.us_NOPE' })).rejects.toMatchObject({ code: 'message_not_found' });
  });

  it('mentions, location, forwarded, and a poll', async () => {
    const message = (
      await inject('meet here', {
        mentions: ['+62 811-1111-1111'],
        location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas' },
        isForwarded: true,
      })
    ).message;
    expect(message).toMatchObject({
      type: 'location',
      mentions: ['6281111111111'],
      location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas' },
      isForwarded: true,
      fromMe: false,
    });
    const poll = { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false };
    expect((await inject('Lunch?', { poll })).message).toMatchObject({ type: 'poll', poll });
  });
});

describe('events about messages', () => {
  it('message_edited: the new and the previous text', async () => {
    const { message } = await inject('see you at 7');
    const event = nextEvent(client, 'message_edited', (p) => p.messageId === message.id);
    const answer = await client.request('sandbox_edit_message', { sessionId: SESSION, messageId: message.id, text: 'see you at 8' });
    expect(answer).toEqual({
      sessionId: SESSION,
      messageId: message.id,
      chatId: `${PEER}@c.us`,
      text: 'see you at 8',
      previousText: 'see you at 7',
    });
    expect(await event).toMatchObject({ ...answer, seq: expect.any(Number) });
  });

  it('message_revoked: deleted for everyone by its sender; the sandbox then no longer knows it', async () => {
    const { message } = await inject('oops');
    const event = nextEvent(client, 'message_revoked', (p) => p.messageId === message.id);
    await client.request('sandbox_revoke_message', { sessionId: SESSION, messageId: message.id });
    expect(await event).toMatchObject({ chatId: `${PEER}@c.us`, revokedBy: PEER });
    await expect(client.request('sandbox_edit_message', { sessionId: SESSION, messageId: message.id, text: 'x' })).rejects.toMatchObject({
      code: 'message_not_found',
    });
  });

  it('message_reaction: to a message the gateway sent, and taken back', async () => {
    const sent = await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'react to me', type: 'text' });
    const reactions = collect(client, 'message_reaction');
    await client.request('sandbox_react', { sessionId: SESSION, messageId: sent.messageId, from: PEER, emoji: '👍' });
    await client.request('sandbox_react', { sessionId: SESSION, messageId: sent.messageId, from: PEER, emoji: '' });
    await client.getSessionStatus(SESSION);
    expect(reactions.map(({ from, emoji, messageId }) => ({ from, emoji, messageId }))).toEqual([
      { from: PEER, emoji: '👍', messageId: sent.messageId },
      { from: PEER, emoji: '', messageId: sent.messageId },
    ]);
  });

  it('poll_vote: the voter’s choice; options not in the poll are refused', async () => {
    const { message } = await inject('Lunch?', { poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false } });
    const event = nextEvent(client, 'poll_vote', (p) => p.messageId === message.id);
    await client.request('sandbox_vote', { sessionId: SESSION, messageId: message.id, voter: PEER, selectedOptions: ['Noodles'] });
    expect(await event).toMatchObject({ voter: PEER, selectedOptions: ['Noodles'], chatId: `${PEER}@c.us` });
    for (const selectedOptions of [['Pizza'], ['Rice', 'Noodles']]) {
      const refused = client.request('sandbox_vote', { sessionId: SESSION, messageId: message.id, voter: PEER, selectedOptions });
      await expect(refused).rejects.toMatchObject({ code: 'invalid_payload' });
    }
  });

  it('call_received, then with REJECT_CALLS the call is declined and the caller gets REJECT_CALLS_MESSAGE', async () => {
    const received = nextEvent(client, 'call_received', (p) => p.sessionId === SESSION);
    const reply = nextEvent(client, 'message_sent', (p) => p.message === REPLY);
    const call = await client.request('sandbox_call', { sessionId: SESSION, from: PEER, isVideo: true });
    expect(await received).toMatchObject({ callId: call.callId, from: PEER, isVideo: true, isGroup: false, seq: expect.any(Number) });
    expect(await reply).toMatchObject({ to: PEER, chatId: `${PEER}@c.us`, type: 'text' });
  });

  it('refuses these requests on a session that is not running, as for every session request', async () => {
    const request = client.request('sandbox_call', { sessionId: 'nobody', from: PEER });
    await expect(request).rejects.toBeInstanceOf(GatewayRequestError);
    await expect(request).rejects.toMatchObject({ code: 'session_not_found' });
  });
});

it('a bot that was away gets every one of these events again, in order, with their seq', async () => {
  const first = nextEvent(client, 'message_received', (p) => p.message.text === 'poll?');
  const { message } = await inject('poll?', { poll: { question: 'poll?', options: ['a', 'b'], allowMultipleAnswers: true } });
  const since = (await first).seq! - 1;
  await client.request('sandbox_inject_own_message', { sessionId: SESSION, to: PEER, text: 'mine' });
  await client.request('sandbox_edit_message', { sessionId: SESSION, messageId: message.id, text: 'poll!' });
  await client.request('sandbox_react', { sessionId: SESSION, messageId: message.id, from: PEER, emoji: '🎉' });
  await client.request('sandbox_vote', { sessionId: SESSION, messageId: message.id, voter: PEER, selectedOptions: ['a', 'b'] });
  await client.request('sandbox_revoke_message', { sessionId: SESSION, messageId: message.id });
  const callReply = nextEvent(client, 'message_sent', (p) => p.message === REPLY);
  await client.request('sandbox_call', { sessionId: SESSION, from: PEER });
  await callReply;

  const bot = await gateway.client();
  const names: ServerEventName[] = [
    'message_received',
    'own_message',
    'message_edited',
    'message_reaction',
    'poll_vote',
    'message_revoked',
    'call_received',
    'message_sent',
  ];
  const replayed: Array<[ServerEventName, number]> = [];
  for (const name of names) {
    bot.socket.on(name, (payload: { seq?: number; replayed?: true }) => void (payload.replayed && replayed.push([name, payload.seq!])));
  }
  const answer = await bot.request('subscribe', { sessionIds: '*', since: { [SESSION]: since } });
  expect(answer.replayed?.[SESSION]).toMatchObject({ truncated: false });
  expect(replayed.map(([name]) => name)).toEqual(names);
  expect(replayed.map(([, seq]) => seq)).toEqual(replayed.map(([, seq]) => seq).sort((a, b) => a - b));
});
