import { afterEach, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import { libraryMessage } from './fake-client';
import { startedHarnessPerTest, TEST_TIMEOUTS } from './session-harness';

const MESSAGE_ID = 'false_6281111111111@c.us_PHOTO1';

const h = startedHarnessPerTest();
afterEach(() => {
  vi.useRealTimers();
});

/** The wwebjs engine has the capability; without it every test here fails. */
function download(messageId: string, maxBytes: number) {
  if (!h.session.media) throw new Error('the wwebjs session has no media capability');
  return h.session.media.download(messageId, maxBytes);
}

/** The library's typings promise a MessageMedia, but downloadMedia() resolves undefined when the media is gone. */
function mediaMessage(media: wwebjs.MessageMedia | undefined, rawData: object = { size: 5 }) {
  const downloadMedia = vi.fn<wwebjs.Message['downloadMedia']>(async () => media as wwebjs.MessageMedia);
  return { message: libraryMessage({ hasMedia: true, type: 'image' as wwebjs.MessageTypes, rawData, downloadMedia }), downloadMedia };
}

describe('download', () => {
  it('finds the message by its serialized id and answers what Message.downloadMedia() gives', async () => {
    const { message, downloadMedia } = mediaMessage(new wwebjs.MessageMedia('image/jpeg', 'aGVsbG8=', 'photo.jpg', 5));
    h.client().getMessageById.mockResolvedValue(message);
    expect(await download(MESSAGE_ID, 1000)).toEqual({ mimetype: 'image/jpeg', fileName: 'photo.jpg', base64: 'aGVsbG8=' });
    expect(h.client().getMessageById).toHaveBeenCalledExactlyOnceWith(MESSAGE_ID);
    expect(downloadMedia).toHaveBeenCalledExactlyOnceWith();
  });

  it('leaves out a file name the library has none for', async () => {
    const { message } = mediaMessage(new wwebjs.MessageMedia('audio/ogg; codecs=opus', 'aGVsbG8=', null));
    h.client().getMessageById.mockResolvedValue(message);
    expect(await download(MESSAGE_ID, 1000)).toEqual({ mimetype: 'audio/ogg; codecs=opus', base64: 'aGVsbG8=' });
  });

  it('answers media_unavailable when downloadMedia() gives nothing (expired or re-uploading media)', async () => {
    h.client().getMessageById.mockResolvedValue(mediaMessage(undefined).message);
    await expect(download(MESSAGE_ID, 1000)).rejects.toMatchObject({ code: 'media_unavailable' });
  });

  it('answers media_unavailable for an id WhatsApp Web does not know, and for a message without media', async () => {
    await expect(download(MESSAGE_ID, 1000)).rejects.toMatchObject({ code: 'media_unavailable' });
    h.client().getMessageById.mockResolvedValue(libraryMessage({ hasMedia: false }));
    await expect(download(MESSAGE_ID, 1000)).rejects.toMatchObject({ code: 'media_unavailable' });
  });

  it('refuses media_too_large, without downloading, a file the message says is over the bound', async () => {
    const { message, downloadMedia } = mediaMessage(new wwebjs.MessageMedia('video/mp4', 'aGVsbG8=', null), { size: 1001 });
    h.client().getMessageById.mockResolvedValue(message);
    await expect(download(MESSAGE_ID, 1000)).rejects.toMatchObject({ code: 'media_too_large' });
    expect(downloadMedia).not.toHaveBeenCalled();
  });

  it('gives up on a download the page does not finish within the send limit', async () => {
    vi.useFakeTimers();
    const { message, downloadMedia } = mediaMessage(undefined);
    downloadMedia.mockReturnValue(new Promise(() => {}));
    h.client().getMessageById.mockResolvedValue(message);
    const pending = download(MESSAGE_ID, 1000);
    const outcome = expect(pending).rejects.toMatchObject({ code: 'engine_error' });
    await vi.advanceTimersByTimeAsync(TEST_TIMEOUTS.sendMs);
    await outcome;
  });
});
