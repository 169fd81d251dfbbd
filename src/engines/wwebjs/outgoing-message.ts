/** The gateway's outgoing messages as whatsapp-web.js `sendMessage` arguments. */
import wwebjs from 'whatsapp-web.js';
import type { MediaFile, OutgoingMessage } from '../capabilities/messaging';

const { MessageMedia } = wwebjs;

export type SendArguments = [content: wwebjs.MessageContent, options: wwebjs.MessageSendOptions];

/** `sendSeen: false` everywhere: the library would otherwise mark the chat read on every send. */
export async function toSendArguments(message: OutgoingMessage): Promise<SendArguments> {
  if (message.type === 'text') return [message.text, { sendSeen: false }];
  return [
    await toMessageMedia(message.media),
    {
      sendSeen: false,
      caption: message.caption,
      sendMediaAsDocument: message.type === 'document',
      sendAudioAsVoice: message.type === 'audio',
    },
  ];
}

async function toMessageMedia(file: MediaFile): Promise<wwebjs.MessageMedia> {
  const data = await file.load();
  return new MessageMedia(file.mimetype, data.toString('base64'), file.fileName, file.size);
}
