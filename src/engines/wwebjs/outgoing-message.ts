/** The gateway's outgoing messages as whatsapp-web.js `sendMessage` arguments. */
import wwebjs from 'whatsapp-web.js';
import type { MessageType } from '../../protocol/schemas';
import type { ContactCards, MediaFile, OutgoingMedia, OutgoingMessage } from '../capabilities/messaging';

const { Location, MessageMedia, Poll } = wwebjs;

export type SendArguments = [content: wwebjs.MessageContent, options: wwebjs.MessageSendOptions];

/** The library's Contact of each chat id, for contact cards (`client.getContactById`). */
type ContactsOf = (chatIds: string[]) => Promise<wwebjs.Contact[]>;

/** The WhatsApp Web types a message of ours has once sent (`audio` goes out as a voice note, `ptt`). */
export const SENT_WA_TYPES: Record<MessageType, readonly string[]> = {
  text: ['chat'],
  image: ['image'],
  video: ['video'],
  document: ['document'],
  audio: ['audio', 'ptt'],
  sticker: ['sticker'],
  location: ['location'],
  contact: ['vcard', 'multi_vcard'],
  poll: ['poll_creation'],
};

/**
 * `sendSeen: false` everywhere: the library would otherwise mark the chat read on every send.
 * `ignoreQuoteErrors: false`: a reply to a message the page cannot find fails rather than going out unquoted.
 */
export async function toSendArguments(message: OutgoingMessage, contactsOf: ContactsOf): Promise<SendArguments> {
  const options: wwebjs.MessageSendOptions = {
    sendSeen: false,
    ...(message.quotedMessageId !== undefined && { quotedMessageId: message.quotedMessageId, ignoreQuoteErrors: false }),
    ...(message.mentions && { mentions: message.mentions }),
  };
  switch (message.type) {
    case 'text':
      return [message.text, options];
    case 'location': {
      const { latitude, longitude, name, address } = message.location;
      return [new Location(latitude, longitude, { name, address }), options];
    }
    case 'poll': {
      const { question, options: answers, allowMultipleAnswers } = message.poll;
      // The typings require messageSecret; undefined has the page make a random one, as it does for any poll.
      return [new Poll(question, answers, { allowMultipleAnswers, messageSecret: undefined }), options];
    }
    case 'contact':
      return [await contactContent(message.cards, contactsOf), options];
    default:
      return [await toMessageMedia(message.media), { ...options, ...mediaOptions(message) }];
  }
}

function mediaOptions(message: OutgoingMedia): wwebjs.MessageSendOptions {
  // The library converts a sticker that is not webp yet in the page (WAWebImageUtils.toWebpSticker).
  if (message.type === 'sticker') return { sendMediaAsSticker: true };
  return {
    caption: message.caption,
    sendMediaAsDocument: message.type === 'document',
    sendAudioAsVoice: message.type === 'audio',
  };
}

/** A vCard is sent as text the library recognises (`parseVCards`, on by default); one Contact is a card, several a multi-card. */
async function contactContent(cards: ContactCards, contactsOf: ContactsOf): Promise<wwebjs.MessageContent> {
  if ('vcard' in cards) return cards.vcard;
  const contacts = await contactsOf(cards.chatIds);
  return contacts.length === 1 ? contacts[0]! : contacts;
}

export async function toMessageMedia(file: MediaFile): Promise<wwebjs.MessageMedia> {
  const data = await file.load();
  return new MessageMedia(file.mimetype, data.toString('base64'), file.fileName, file.size);
}
