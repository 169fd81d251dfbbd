/**
 * The receiving slice of issue 14 against a fake Client: which library events the session listens
 * to, what it reports for each, and how it tells the account's messages from the phone from the
 * gateway's own sends (both arrive as `message_create`).
 */
import { describe, expect, it, vi } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import { libraryMessage } from './fake-client';
import { flush, startedHarnessPerTest } from './session-harness';

const ME = '15550001234@c.us';
const CHAT = '6281111111111@c.us';

const h = startedHarnessPerTest();

/** A message this account sent, as message_create reports it. */
function ownMessage(id: string, body: string): wwebjs.Message {
  return libraryMessage({
    id: { fromMe: true, remote: CHAT, id, _serialized: `true_${CHAT}_${id}` },
    fromMe: true,
    from: ME,
    to: CHAT,
    body,
  });
}

/** A send the test finishes when it wants, and the message_create the page emits for it meanwhile. */
function sendInFlight(): { finish: (sent: wwebjs.Message | undefined) => void } {
  let finish!: (sent: wwebjs.Message | undefined) => void;
  h.client().sendMessage.mockReturnValueOnce(new Promise<wwebjs.Message>((resolve) => (finish = resolve as typeof finish)));
  return { finish: (sent) => finish(sent) };
}

it('listens to the library events the receiving slice uses, beside message and message_ack', () => {
  expect(h.client().eventNames()).toEqual(
    expect.arrayContaining([
      'message',
      'message_create',
      'message_edit',
      'message_revoke_everyone',
      'message_reaction',
      'vote_update',
      'call',
    ]),
  );
});

describe('own messages (message_create with fromMe)', () => {
  it('reports a message sent from the phone as an own message, and nothing for others’ messages', async () => {
    h.client().emit('message_create', ownMessage('PHONE1', 'sent from my phone'));
    h.client().emit('message_create', libraryMessage({ body: 'someone else' })); // also arrives as 'message'
    await vi.waitFor(() => expect(h.listener.onOwnMessage).toHaveBeenCalledOnce());
    expect(h.listener.onOwnMessage.mock.calls[0]![0]).toMatchObject({
      id: `true_${CHAT}_PHONE1`,
      fromMe: true,
      from: '15550001234',
      chatId: CHAT,
      text: 'sent from my phone',
    });
    expect(h.listener.onMessage).not.toHaveBeenCalled();
  });

  it('does not report the gateway’s own send whose message_create comes before sendMessage returns, nor a late copy', async () => {
    const send = sendInFlight();
    const sent = h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'from the gateway' });
    await flush();
    h.client().emit('message_create', ownMessage('GW1', 'from the gateway')); // the page reports it first
    h.client().emit('message_create', ownMessage('PHONE2', 'typed on the phone meanwhile'));
    await flush();
    expect(h.listener.onOwnMessage).not.toHaveBeenCalled(); // both wait for the send to tell whose they are
    send.finish(ownMessage('GW1', 'from the gateway'));
    await sent;
    await vi.waitFor(() => expect(h.listener.onOwnMessage).toHaveBeenCalledOnce());
    expect(h.listener.onOwnMessage.mock.calls[0]![0].id).toBe(`true_${CHAT}_PHONE2`);

    h.client().emit('message_create', ownMessage('GW1', 'from the gateway')); // reported again later
    h.client().emit('message_create', ownMessage('PHONE3', 'next'));
    await vi.waitFor(() => expect(h.listener.onOwnMessage).toHaveBeenCalledTimes(2));
    expect(h.listener.onOwnMessage.mock.calls[1]![0].id).toBe(`true_${CHAT}_PHONE3`);
  });

  it('takes a copy with the text of a send that returned no id for the gateway’s, once; other texts are the phone’s', async () => {
    const send = sendInFlight();
    const sent = h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'unconfirmed' });
    await flush();
    h.client().emit('message_create', ownMessage('GW2', 'unconfirmed'));
    send.finish(undefined); // the library could not read the message back
    await expect(sent).rejects.toMatchObject({ code: 'send_unconfirmed' });
    h.client().emit('message_create', ownMessage('PHONE4', 'unconfirmed')); // the same text, typed on the phone later
    await vi.waitFor(() => expect(h.listener.onOwnMessage).toHaveBeenCalledOnce());
    expect(h.listener.onOwnMessage.mock.calls[0]![0].id).toBe(`true_${CHAT}_PHONE4`);
  });

  it('skips status updates', async () => {
    h.client().emit('message_create', libraryMessage({ ...ownMessage('S1', 'story'), isStatus: true }));
    h.client().emit('message_create', ownMessage('PHONE5', 'after'));
    await vi.waitFor(() => expect(h.listener.onOwnMessage).toHaveBeenCalledOnce());
    expect(h.listener.onOwnMessage.mock.calls[0]![0].id).toBe(`true_${CHAT}_PHONE5`);
  });
});

describe('edits, deletions, reactions, votes', () => {
  const key = { fromMe: false, remote: CHAT, id: 'M1', _serialized: `false_${CHAT}_M1` };

  it('message_edit: reports an edit, not a body change without edit marks', async () => {
    h.client().emit('message_edit', libraryMessage({ id: key, body: 'decrypted', _data: {} }), 'decrypted', '');
    h.client().emit('message_edit', libraryMessage({ id: key, body: 'new', _data: { latestEditSenderTimestampMs: 1 } }), 'new', 'old');
    await vi.waitFor(() => expect(h.listener.onMessageEdited).toHaveBeenCalledOnce());
    expect(h.listener.onMessageEdited).toHaveBeenCalledWith({ messageId: key._serialized, chatId: CHAT, text: 'new', previousText: 'old' });
  });

  it('message_revoke_everyone: reports the deleted message and its sender', async () => {
    h.client().emit('message_revoke_everyone', libraryMessage({ id: key, type: 'revoked' as wwebjs.MessageTypes }), null);
    await vi.waitFor(() => expect(h.listener.onMessageRevoked).toHaveBeenCalledOnce());
    expect(h.listener.onMessageRevoked).toHaveBeenCalledWith({ messageId: key._serialized, chatId: CHAT, revokedBy: '6281111111111' });
  });

  it('message_reaction: reports who reacted with what to which message', async () => {
    const reaction = { id: key, msgId: key, senderId: CHAT, reaction: '❤️', timestamp: 1, read: false, orphan: 0 } as wwebjs.Reaction;
    h.client().emit('message_reaction', reaction);
    await vi.waitFor(() => expect(h.listener.onReaction).toHaveBeenCalledOnce());
    expect(h.listener.onReaction).toHaveBeenCalledWith({ messageId: key._serialized, chatId: CHAT, from: '6281111111111', emoji: '❤️' });
  });

  it('vote_update: reports the voter’s whole choice by name; a vote without its poll is dropped', async () => {
    const poll = { fromMe: true, remote: CHAT, id: 'P1', _serialized: `true_${CHAT}_P1` };
    h.client().emit('vote_update', { voter: CHAT, selectedOptions: [{ id: 0, name: 'Rice', localId: 0 }], interractedAtTs: 1 });
    h.client().emit('vote_update', { voter: CHAT, selectedOptions: [{ id: 1, name: 'Noodles', localId: 1 }], parentMsgKey: poll });
    await vi.waitFor(() => expect(h.listener.onPollVote).toHaveBeenCalledOnce());
    expect(h.listener.onPollVote).toHaveBeenCalledWith({
      messageId: poll._serialized,
      chatId: CHAT,
      voter: '6281111111111',
      selectedOptions: ['Noodles'],
    });
  });
});

describe('calls', () => {
  function call(fields: Partial<wwebjs.Call> = {}): wwebjs.Call {
    return {
      id: 'CALL1',
      from: CHAT,
      isVideo: false,
      isGroup: false,
      fromMe: false,
      reject: vi.fn(async () => {}),
      ...fields,
    } as wwebjs.Call;
  }

  it('reports an incoming call once, however often the page reports it, and not outgoing ones', async () => {
    const ringing = call({ isVideo: true });
    h.client().emit('call', ringing);
    h.client().emit('call', ringing);
    h.client().emit('call', call({ id: 'OUT', fromMe: true }));
    await vi.waitFor(() => expect(h.listener.onCall).toHaveBeenCalledOnce());
    await flush();
    expect(h.listener.onCall.mock.calls).toEqual([[{ callId: 'CALL1', from: '6281111111111', isVideo: true, isGroup: false }]]);
  });

  it('declines a reported call with the library’s Call.reject(), and a call it was not told about fails', async () => {
    const ringing = call();
    h.client().emit('call', ringing);
    await vi.waitFor(() => expect(h.listener.onCall).toHaveBeenCalledOnce());
    await h.session.calling!.reject('CALL1');
    expect(ringing.reject).toHaveBeenCalledExactlyOnceWith();
    await expect(h.session.calling!.reject('NOPE')).rejects.toMatchObject({ code: 'engine_error' });
  });
});
