import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { MediaFile } from '../../../src/engines/engine';
import type { MessageType } from '../../../src/protocol/schemas';
import { libraryMessage } from './fake-client';
import { createHarness, TEST_TIMEOUTS, type Harness } from './session-harness';

const CHAT = '6281111111111@c.us';

let h: Harness;

beforeEach(async () => {
  h = createHarness();
  await h.session.start();
});

afterEach(async () => {
  await h.cleanup();
});

function mediaFile(fileName: string, mimetype: string, bytes = Buffer.from('file bytes')): MediaFile {
  return { fileName, mimetype, size: bytes.length, load: async () => bytes };
}

function sentMessage(): wwebjs.Message {
  return libraryMessage({ id: { fromMe: true, remote: CHAT, id: 'OUT1', _serialized: `true_${CHAT}_OUT1` }, timestamp: 1_700_000_123 });
}

describe('sendMessage', () => {
  it('sends text without marking the chat read, and answers with the id and a millisecond timestamp', async () => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    const sent = await h.session.sendMessage(CHAT, { type: 'text', text: 'hello' });
    expect(h.client().sendMessage).toHaveBeenCalledExactlyOnceWith(CHAT, 'hello', { sendSeen: false });
    expect(sent).toEqual({ id: `true_${CHAT}_OUT1`, timestamp: 1_700_000_123_000 });
  });

  it.each<[Exclude<MessageType, 'text'>, MediaFile, { sendMediaAsDocument: boolean; sendAudioAsVoice: boolean }]>([
    ['image', mediaFile('photo.jpg', 'image/jpeg'), { sendMediaAsDocument: false, sendAudioAsVoice: false }],
    ['video', mediaFile('clip.mp4', 'video/mp4'), { sendMediaAsDocument: false, sendAudioAsVoice: false }],
    ['document', mediaFile('report.pdf', 'application/pdf'), { sendMediaAsDocument: true, sendAudioAsVoice: false }],
    ['audio', mediaFile('note.ogg', 'audio/ogg'), { sendMediaAsDocument: false, sendAudioAsVoice: true }],
  ])("sends %s media with the gateway's MIME type and file name", async (type, file, flags) => {
    h.client().sendMessage.mockResolvedValue(sentMessage());
    await h.session.sendMessage(CHAT, { type, text: 'a caption', media: file });
    const [chatId, content, options] = h.client().sendMessage.mock.calls[0]!;
    expect(chatId).toBe(CHAT);
    expect(content).toBeInstanceOf(wwebjs.MessageMedia);
    expect(content).toEqual(new wwebjs.MessageMedia(file.mimetype, Buffer.from('file bytes').toString('base64'), file.fileName, file.size));
    expect(options).toEqual({ sendSeen: false, caption: 'a caption', ...flags });
  });

  it('refuses a media type without a file, before calling the library', async () => {
    await expect(h.session.sendMessage(CHAT, { type: 'image' })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(h.client().sendMessage).not.toHaveBeenCalled();
  });

  it.each([undefined, null])('never reports a send WhatsApp did not accept (library returned %s)', async (nothing) => {
    h.client().sendMessage.mockResolvedValue(nothing as unknown as wwebjs.Message);
    await expect(h.session.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'engine_error',
      message: 'WhatsApp did not return a message id',
    });
  });

  it('wraps a plain-string rejection', async () => {
    h.client().sendMessage.mockRejectedValue('Evaluation failed: t');
    await expect(h.session.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'engine_error',
      message: 'Evaluation failed: t',
    });
  });

  it('gives up on a page that never answers', async () => {
    h.client().sendMessage.mockReturnValue(new Promise(() => {}));
    await expect(h.session.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({
      code: 'engine_error',
      message: `WhatsApp Web did not answer the send within ${TEST_TIMEOUTS.sendMs} ms`,
    });
  });
});

describe('lookupNumber', () => {
  it('answers the id WhatsApp knows the number by', async () => {
    h.client().getNumberId.mockResolvedValue({ server: 'c.us', user: '6281111111111', _serialized: CHAT });
    expect(await h.session.lookupNumber(CHAT)).toBe(CHAT);
    expect(h.client().getNumberId).toHaveBeenCalledWith(CHAT);
  });

  it('answers null for a number without WhatsApp', async () => {
    h.client().getNumberId.mockResolvedValue(null);
    expect(await h.session.lookupNumber(CHAT)).toBeNull();
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
    expect(await h.session.getProfile(CHAT)).toEqual({
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
    expect(await h.session.getProfile(CHAT)).toEqual({
      jid: CHAT,
      name: null,
      pushname: null,
      about: null,
      profilePicUrl: null,
      isBusiness: false,
    });
  });
});

describe('setTyping', () => {
  function chat() {
    const typing = { sendStateTyping: vi.fn(async () => {}), clearState: vi.fn(async () => true) };
    h.client().getChatById.mockResolvedValue(typing as Partial<wwebjs.Chat> as wwebjs.Chat);
    return typing;
  }

  it('shows typing', async () => {
    const typing = chat();
    await h.session.setTyping(CHAT, true);
    expect(h.client().getChatById).toHaveBeenCalledWith(CHAT);
    expect(typing.sendStateTyping).toHaveBeenCalledOnce();
    expect(typing.clearState).not.toHaveBeenCalled();
  });

  it('clears typing', async () => {
    const typing = chat();
    await h.session.setTyping(CHAT, false);
    expect(typing.clearState).toHaveBeenCalledOnce();
    expect(typing.sendStateTyping).not.toHaveBeenCalled();
  });

  it('rejects for a chat the library does not know', async () => {
    h.client().getChatById.mockResolvedValue(undefined as unknown as wwebjs.Chat);
    await expect(h.session.setTyping(CHAT, true)).rejects.toMatchObject({ code: 'engine_error', message: 'chat not found' });
  });
});

describe('markRead', () => {
  it('sends a read receipt for the chat', async () => {
    await h.session.markRead(CHAT);
    expect(h.client().sendSeen).toHaveBeenCalledExactlyOnceWith(CHAT);
  });
});

describe('calls outside a running session', () => {
  it('reject with session_not_connected before start', async () => {
    const fresh = createHarness();
    await expect(fresh.session.markRead(CHAT)).rejects.toMatchObject({ code: 'session_not_connected' });
    await fresh.cleanup();
  });

  it('reject with session_stopped after stop, without reaching the library', async () => {
    await h.session.stop();
    await expect(h.session.sendMessage(CHAT, { type: 'text', text: 'hello' })).rejects.toMatchObject({ code: 'session_stopped' });
    expect(h.client().sendMessage).not.toHaveBeenCalled();
  });
});
