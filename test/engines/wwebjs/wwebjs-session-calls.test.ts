import { describe, expect, it } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { MediaFile } from '../../../src/engines/capabilities/messaging';
import type { MediaMessageType, MessageType } from '../../../src/protocol/schemas';
import { FIND_SENT, LOOKUP_NUMBER, SET_CHAT_STATE } from '../../../src/engines/wwebjs/page-scripts';
import type { LibraryMessageKey } from '../../../src/engines/wwebjs/message-mapper';
import { libraryMessage } from './fake-client';
import { createHarness, startedHarnessPerTest, TEST_TIMEOUTS } from './session-harness';

const CHAT = '6281111111111@c.us';

const h = startedHarnessPerTest();

function mediaFile(fileName: string, mimetype: string, bytes = Buffer.from('file bytes')): MediaFile {
  return { fileName, mimetype, size: bytes.length, load: async () => bytes };
}

function sentMessage(): wwebjs.Message {
  return libraryMessage({ id: { fromMe: true, remote: CHAT, id: 'OUT1', _serialized: `true_${CHAT}_OUT1` }, timestamp: 1_700_000_123 });
}

describe('sendMessage', () => {
  it('sends text without marking the chat read, and answers with the id, the chat and a millisecond timestamp', async () => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    const sent = await h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' });
    expect(h.client().sendMessage).toHaveBeenCalledExactlyOnceWith(CHAT, 'hello', { sendSeen: false });
    expect(sent).toEqual({ id: `true_${CHAT}_OUT1`, timestamp: 1_700_000_123_000, chatId: CHAT });
  });

  it('reads the id of a July 2026 key ($1, no _serialized) and the LID chat the message landed in', async () => {
    const lid = '211111111118260@lid';
    h.client().sendMessage.mockResolvedValue(
      libraryMessage({ id: { fromMe: true, remote: lid, id: '3EB0AA', $1: `true_${lid}_3EB0AA` } as unknown as wwebjs.MessageId }),
    );
    expect(await h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).toMatchObject({
      id: `true_${lid}_3EB0AA`,
      chatId: lid,
    });
  });

  it.each<[Exclude<MediaMessageType, 'sticker'>, MediaFile, { sendMediaAsDocument: boolean; sendAudioAsVoice: boolean }]>([
    ['image', mediaFile('photo.jpg', 'image/jpeg'), { sendMediaAsDocument: false, sendAudioAsVoice: false }],
    ['video', mediaFile('clip.mp4', 'video/mp4'), { sendMediaAsDocument: false, sendAudioAsVoice: false }],
    ['document', mediaFile('report.pdf', 'application/pdf'), { sendMediaAsDocument: true, sendAudioAsVoice: false }],
    ['audio', mediaFile('note.ogg', 'audio/ogg'), { sendMediaAsDocument: false, sendAudioAsVoice: true }],
  ])("sends %s media with the gateway's MIME type and file name", async (type, file, flags) => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    await h.session.messaging.sendMessage(CHAT, { type, caption: 'a caption', media: file });
    const [chatId, content, options] = h.client().sendMessage.mock.calls[0]!;
    expect(chatId).toBe(CHAT);
    expect(content).toBeInstanceOf(wwebjs.MessageMedia);
    expect(content).toEqual(new wwebjs.MessageMedia(file.mimetype, Buffer.from('file bytes').toString('base64'), file.fileName, file.size));
    expect(options).toEqual({ sendSeen: false, caption: 'a caption', ...flags });
  });

  it('sends a sticker as media with sendMediaAsSticker, and no caption', async () => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    const file = mediaFile('cat.png', 'image/png');
    await h.session.messaging.sendMessage(CHAT, { type: 'sticker', media: file });
    expect(h.client().sendMessage).toHaveBeenCalledExactlyOnceWith(
      CHAT,
      new wwebjs.MessageMedia('image/png', Buffer.from('file bytes').toString('base64'), 'cat.png', file.size),
      { sendSeen: false, sendMediaAsSticker: true },
    );
  });

  it("sends a location as the library's Location, its name and address the description", async () => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    await h.session.messaging.sendMessage(CHAT, {
      type: 'location',
      location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Jakarta' },
    });
    const [, content, options] = h.client().sendMessage.mock.calls[0]!;
    expect(content).toBeInstanceOf(wwebjs.Location);
    expect(content).toMatchObject({
      latitude: -6.1754,
      longitude: 106.8272,
      name: 'Monas',
      address: 'Jakarta',
      description: 'Monas\nJakarta',
    });
    expect(options).toEqual({ sendSeen: false });
  });

  it.each([false, true])("sends a poll as the library's Poll (allowMultipleAnswers %s)", async (allowMultipleAnswers) => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    await h.session.messaging.sendMessage(CHAT, {
      type: 'poll',
      poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers },
    });
    const [, content, options] = h.client().sendMessage.mock.calls[0]!;
    expect(content).toBeInstanceOf(wwebjs.Poll);
    expect(content).toEqual({
      pollName: 'Lunch?',
      pollOptions: [
        { name: 'Rice', localId: 0 },
        { name: 'Noodles', localId: 1 },
      ],
      options: { allowMultipleAnswers, messageSecret: undefined },
    });
    expect(options).toEqual({ sendSeen: false });
  });

  it('sends contact cards as the Contact the library finds for each number: one card, or a list', async () => {
    const contactOf = (id: string) => ({ id: { _serialized: id } }) as unknown as wwebjs.Contact;
    h.client().getContactById.mockImplementation(async (id) => contactOf(id));
    h.client().sendMessage.mockResolvedValue(sentMessage());
    await h.session.messaging.sendMessage(CHAT, { type: 'contact', cards: { chatIds: ['6282222222222@c.us'] } });
    await h.session.messaging.sendMessage(CHAT, { type: 'contact', cards: { chatIds: ['6282222222222@c.us', '6283333333333@c.us'] } });
    expect(h.client().getContactById.mock.calls).toEqual([['6282222222222@c.us'], ['6282222222222@c.us'], ['6283333333333@c.us']]);
    expect(h.client().sendMessage.mock.calls).toEqual([
      [CHAT, contactOf('6282222222222@c.us'), { sendSeen: false }],
      [CHAT, [contactOf('6282222222222@c.us'), contactOf('6283333333333@c.us')], { sendSeen: false }],
    ]);
  });

  it('sends a vCard as its text, which the library parses into a card (parseVCards is on by default)', async () => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Budi\nTEL;type=CELL;waid=6282222222222:+62 822-2222-2222\nEND:VCARD';
    await h.session.messaging.sendMessage(CHAT, { type: 'contact', cards: { vcard } });
    expect(h.client().sendMessage).toHaveBeenCalledExactlyOnceWith(CHAT, vcard, { sendSeen: false });
    expect(h.client().getContactById).not.toHaveBeenCalled();
  });

  it('replies and mentions on any type: quotedMessageId without ignoring quote errors, mentions as chat ids', async () => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    const context = { quotedMessageId: `false_${CHAT}_IN1`, mentions: ['6282222222222@c.us'] };
    await h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hi @6282222222222', ...context });
    await h.session.messaging.sendMessage(CHAT, { type: 'image', media: mediaFile('a.jpg', 'image/jpeg'), ...context });
    const expected = { sendSeen: false, quotedMessageId: `false_${CHAT}_IN1`, ignoreQuoteErrors: false, mentions: ['6282222222222@c.us'] };
    expect(h.client().sendMessage.mock.calls[0]).toEqual([CHAT, 'hi @6282222222222', expected]);
    expect(h.client().sendMessage.mock.calls[1]![2]).toEqual({
      ...expected,
      caption: undefined,
      sendMediaAsDocument: false,
      sendAudioAsVoice: false,
    });
  });

  it('a quoted message the page cannot find is quoted_message_not_found: refused before sending, not unconfirmed', async () => {
    h.client().sendMessage.mockRejectedValue(new Error('Evaluation failed: Error: Could not get the quoted message.'));
    await expect(
      h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hi', quotedMessageId: `false_${CHAT}_GONE` }),
    ).rejects.toMatchObject({ code: 'quoted_message_not_found' });
  });

  // whatsapp-web.js answers nothing when it cannot read back a message the page had already taken.
  it.each([undefined, null])('reports send_unconfirmed, not a failure, when the library returns %s', async (nothing) => {
    h.client().sendMessage.mockResolvedValue(nothing as unknown as wwebjs.Message);
    await expect(h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'send_unconfirmed',
      message: expect.stringContaining('returned no id'),
    });
  });

  it('a refusal inside the page (a plain-string rejection) is a failure: engine_error', async () => {
    h.client().sendMessage.mockRejectedValue('Evaluation failed: t');
    await expect(h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'engine_error',
      message: 'Evaluation failed: t',
    });
  });

  it('a page that never answers, or goes away mid-send, may have sent it: send_unconfirmed', async () => {
    h.client().sendMessage.mockReturnValueOnce(new Promise(() => {}));
    await expect(h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'send_unconfirmed',
      message: expect.stringContaining(`did not answer the send within ${TEST_TIMEOUTS.sendMs} ms`),
    });
    h.client().sendMessage.mockRejectedValueOnce(new Error('Protocol error (Runtime.callFunctionOn): Target closed'));
    await expect(h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'send_unconfirmed',
    });
  });

  it('"No LID for user": asks WhatsApp about the number once, retries once, then recipient_unreachable', async () => {
    h.client().sendMessage.mockRejectedValueOnce(new Error('No LID for user')).mockResolvedValueOnce(sentMessage());
    expect(await h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).toMatchObject({ id: `true_${CHAT}_OUT1` });
    expect(h.client().pupPage!.scriptCalls(LOOKUP_NUMBER)).toEqual([CHAT]);

    h.client().sendMessage.mockRejectedValue(new Error('Evaluation failed: Error: No LID for user'));
    await expect(h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'recipient_unreachable',
    });
    expect(h.client().sendMessage).toHaveBeenCalledTimes(4);
  });
});

describe('lookupNumber', () => {
  it("answers the id WhatsApp knows the number by, and its LID, from the page's number query", async () => {
    h.client().pupPage!.answer(LOOKUP_NUMBER, (chatId) => ({ id: chatId, lid: '211111111118260@lid' }));
    expect(await h.session.contacts.lookupNumber(CHAT)).toEqual({ id: CHAT, lid: '211111111118260@lid' });
    expect(h.client().pupPage!.scriptCalls(LOOKUP_NUMBER)).toEqual([CHAT]);
  });

  it('answers null for a number without WhatsApp', async () => {
    h.client().pupPage!.answer(LOOKUP_NUMBER, () => null);
    expect(await h.session.contacts.lookupNumber(CHAT)).toBeNull();
  });
});

describe('getProfile', () => {
  function contact(fields: Partial<wwebjs.Contact>): wwebjs.Contact {
    return {
      id: { server: 'c.us', user: '6281111111111', _serialized: CHAT },
      pushname: 'budi',
      isBusiness: false,
      ...fields,
    } as wwebjs.Contact;
  }

  it('combines the contact, its about text and its picture', async () => {
    h.client().getContactById.mockResolvedValue(contact({ name: 'Budi S.', isBusiness: true, getAbout: async () => 'Busy' }));
    h.client().getProfilePicUrl.mockResolvedValue('https://pps.whatsapp.net/pic.jpg');
    expect(await h.session.contacts.getProfile(CHAT)).toEqual({
      jid: CHAT,
      name: 'Budi S.',
      pushname: 'budi',
      about: 'Busy',
      profilePicUrl: 'https://pps.whatsapp.net/pic.jpg',
      isBusiness: true,
    });
    expect(h.client().getContactById).toHaveBeenCalledWith(CHAT);
    expect(h.client().getProfilePicUrl).toHaveBeenCalledWith(CHAT);
  });

  it('answers null for what privacy settings hide (about throws, no picture, no saved name)', async () => {
    h.client().getContactById.mockResolvedValue(
      contact({
        pushname: '',
        getAbout: async () => {
          throw new Error('not allowed');
        },
      }),
    );
    h.client().getProfilePicUrl.mockResolvedValue(undefined as unknown as string);
    expect(await h.session.contacts.getProfile(CHAT)).toEqual({
      jid: CHAT,
      name: null,
      pushname: null,
      about: null,
      profilePicUrl: null,
      isBusiness: false,
    });
  });
});

describe('findSent', () => {
  const LID = '211111111118260@lid';

  it.each<[MessageType, string | undefined, string[], string]>([
    ['text', 'hello', ['chat'], 'hello'],
    ['image', 'a caption', ['image'], 'a caption'],
    ['video', undefined, ['video'], ''],
    ['document', 'the report', ['document'], 'the report'],
    ['audio', undefined, ['audio', 'ptt'], ''], // sent as a voice note; an audio file counts too
    ['sticker', undefined, ['sticker'], ''],
    ['location', 'Monas\nJakarta', ['location'], 'Monas\nJakarta'],
    ['contact', undefined, ['vcard', 'multi_vcard'], ''],
    ['poll', 'Lunch?', ['poll_creation'], 'Lunch?'],
  ])('looks for a %s among the chat messages of the page, to the second', async (type, text, types, expectedText) => {
    await h.session.messaging.findSent!(CHAT, { type, text, since: 1_700_000_123_999 });
    expect(h.client().pupPage!.scriptCalls(FIND_SENT)).toEqual([{ chatId: CHAT, types, text: expectedText, sinceSeconds: 1_700_000_123 }]);
  });

  it('answers the id sendMessage answers for that message, in milliseconds, and the LID chat it is in', async () => {
    h.client().pupPage!.answer(FIND_SENT, () => ({
      key: { fromMe: true, remote: LID, id: '3EB0AA', $1: `true_${LID}_3EB0AA` } as unknown as LibraryMessageKey,
      t: 1_700_000_124,
    }));
    expect(await h.session.messaging.findSent!(CHAT, { type: 'text', text: 'hello', since: 1_700_000_123_000 })).toEqual({
      id: `true_${LID}_3EB0AA`,
      timestamp: 1_700_000_124_000,
      chatId: LID,
    });
  });

  it('names no chat when the message is in the chat it was sent to', async () => {
    h.client().pupPage!.answer(FIND_SENT, () => ({
      key: { fromMe: true, remote: CHAT, id: 'OUT1', _serialized: `true_${CHAT}_OUT1` },
      t: 1_700_000_124,
    }));
    expect(await h.session.messaging.findSent!(CHAT, { type: 'text', text: 'hello', since: 0 })).toEqual({
      id: `true_${CHAT}_OUT1`,
      timestamp: 1_700_000_124_000,
    });
  });

  it('answers undefined when the page has no such message', async () => {
    h.client().pupPage!.answer(FIND_SENT, () => null);
    expect(await h.session.messaging.findSent!(CHAT, { type: 'text', text: 'hello', since: 0 })).toBeUndefined();
  });

  it('rejects when the page cannot look: gone, or not answering', async () => {
    h.client().pupPage!.answer(FIND_SENT, () => {
      throw new Error('Protocol error (Runtime.callFunctionOn): Target closed');
    });
    await expect(h.session.messaging.findSent!(CHAT, { type: 'text', text: 'hello', since: 0 })).rejects.toMatchObject({
      code: 'engine_error',
    });
    h.client().pupPage!.answer(FIND_SENT, () => new Promise(() => {}));
    await expect(h.session.messaging.findSent!(CHAT, { type: 'text', text: 'hello', since: 0 })).rejects.toMatchObject({
      code: 'engine_error',
      message: expect.stringContaining(`did not answer the sent message lookup within ${TEST_TIMEOUTS.callMs} ms`),
    });
  });
});

describe('setTyping', () => {
  // The library's own chat-state call, without Chat.sendStateTyping()'s getChatById (which throws "r" on July 2026 chats).
  it('shows typing and recording, and clears them, through the library in the page', async () => {
    await h.session.messaging.setTyping(CHAT, 'typing');
    await h.session.messaging.setTyping(CHAT, 'recording');
    await h.session.messaging.setTyping(CHAT, 'paused');
    expect(h.client().pupPage!.scriptCalls(SET_CHAT_STATE)).toEqual([
      { chatId: CHAT, state: 'typing' },
      { chatId: CHAT, state: 'recording' },
      { chatId: CHAT, state: 'stop' },
    ]);
  });

  it('passes on what the page throws', async () => {
    h.client().pupPage!.answer(SET_CHAT_STATE, () => {
      throw new Error('No LID for user');
    });
    await expect(h.session.messaging.setTyping(CHAT, 'typing')).rejects.toMatchObject({ code: 'engine_error', message: 'No LID for user' });
  });
});

describe('markRead', () => {
  it('sends a read receipt for the chat', async () => {
    await h.session.messaging.markRead(CHAT);
    expect(h.client().sendSeen).toHaveBeenCalledExactlyOnceWith(CHAT);
  });
});

describe('calls outside a running session', () => {
  it('reject with session_not_connected before start', async () => {
    const fresh = createHarness();
    await expect(fresh.session.messaging.markRead(CHAT)).rejects.toMatchObject({ code: 'session_not_connected' });
    await fresh.cleanup();
  });

  it('reject with session_stopped after stop, without reaching the library', async () => {
    await h.session.stop();
    await expect(h.session.messaging.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({ code: 'session_stopped' });
    expect(h.client().sendMessage).not.toHaveBeenCalled();
  });
});
