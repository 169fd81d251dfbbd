/**
 * react_to_message, edit_message, delete_message, forward_message, send_presence and the typing
 * states through the API (sandbox): what is refused, and the sandbox's rules (docs/sandbox.md).
 */
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { nextEvent, sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'actions';
const PEER = '6282284316465';
const CHAT = `${PEER}@c.us`;
const UNKNOWN = `true_${CHAT}_3EB0NEVERSENT`;

const { connected } = sandboxGatewayPerTest(SESSION);

const sendText = async (client: GatewayClient, message = 'hello') =>
  (await client.sendMessage({ sessionId: SESSION, to: PEER, message })).messageId;

describe('on a message the sandbox sent', () => {
  it('reacts, removes the reaction, edits, forwards and deletes it for everyone, then no longer knows it', async () => {
    const client = await connected();
    const messageId = await sendText(client);
    await expect(client.reactToMessage(SESSION, messageId, '👍')).resolves.toEqual({ sessionId: SESSION, messageId, emoji: '👍' });
    await expect(client.reactToMessage(SESSION, messageId, '')).resolves.toMatchObject({ emoji: '' });
    await expect(client.editMessage(SESSION, messageId, 'hello again')).resolves.toEqual({
      sessionId: SESSION,
      messageId,
      text: 'hello again',
    });
    await expect(client.forwardMessage(SESSION, messageId, '6282284316466')).resolves.toEqual({
      sessionId: SESSION,
      messageId,
      to: '6282284316466',
      chatId: '6282284316466@c.us',
    });
    await expect(client.deleteMessage(SESSION, messageId, true)).resolves.toEqual({ sessionId: SESSION, messageId, forEveryone: true });
    await expect(client.reactToMessage(SESSION, messageId, '👍')).rejects.toMatchObject({ code: 'message_not_found' });
  });
});

describe('refused with a stable code', () => {
  it('message_not_found for a message the sandbox never sent nor delivered', async () => {
    const client = await connected();
    for (const request of [
      client.reactToMessage(SESSION, UNKNOWN, '👍'),
      client.editMessage(SESSION, UNKNOWN, 'x'),
      client.deleteMessage(SESSION, UNKNOWN),
      client.forwardMessage(SESSION, UNKNOWN, PEER),
    ]) {
      await expect(request).rejects.toMatchObject({ code: 'message_not_found' });
    }
  });

  it('a received message can be reacted to and deleted on this account, but not edited or revoked', async () => {
    const client = await connected();
    const received = nextEvent(client, 'message_received');
    await client.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text: 'hi bot' });
    const { message } = await received;
    await expect(client.reactToMessage(SESSION, message.id, '❤️')).resolves.toMatchObject({ emoji: '❤️' });
    await expect(client.editMessage(SESSION, message.id, 'x')).rejects.toMatchObject({ code: 'message_not_editable' });
    await expect(client.deleteMessage(SESSION, message.id, true)).rejects.toMatchObject({ code: 'message_not_revocable' });
    await expect(client.deleteMessage(SESSION, message.id)).resolves.toMatchObject({ forEveryone: false });
  });

  it.each([
    ['react_to_message', { messageId: 'not-an-id', emoji: '👍' }, 'messageId'],
    ['edit_message', { messageId: UNKNOWN, text: '' }, 'text'],
    ['delete_message', { messageId: UNKNOWN, forEveryone: 'yes' }, 'forEveryone'],
    ['forward_message', { messageId: UNKNOWN }, 'to'],
    ['send_presence', {}, 'available'],
    ['send_typing', { to: PEER }, 'state: give either isTyping or state'],
    ['send_typing', { to: PEER, isTyping: true, state: 'recording' }, 'state: give either isTyping or state'],
  ] as const)('%s %j: invalid_payload naming %s', async (event, fields, named) => {
    const client = await connected();
    await expect(client.request(event, { sessionId: SESSION, ...fields } as never)).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining(named),
    });
  });
});

describe('presence and typing', () => {
  it('answers the presence and the typing state shown', async () => {
    const client = await connected();
    await expect(client.sendPresence(SESSION, false)).resolves.toEqual({ sessionId: SESSION, available: false });
    await expect(client.sendTyping(SESSION, PEER, 'recording')).resolves.toEqual({
      sessionId: SESSION,
      to: PEER,
      isTyping: true,
      state: 'recording',
    });
    await expect(client.sendTyping(SESSION, PEER, false)).resolves.toEqual({
      sessionId: SESSION,
      to: PEER,
      isTyping: false,
      state: 'paused',
    });
  });
});
