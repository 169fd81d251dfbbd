/** The message mapper on real serialized shapes quoted in public threads (test/fixtures/whatsapp-web). */
import { describe, expect, it } from 'vitest';
import { serializedKey, toIncomingMessage, type LibraryMessage, type LibraryMessageKey } from '../../../src/engines/wwebjs/message-mapper';
import { chatIdOfMessage } from '../../../src/protocol/chat-id';
import { incomingMessageSchema } from '../../../src/protocol/schemas';
import { golden } from '../../support/golden';

type Model = { id: LibraryMessageKey; body: string; type: string; t: number; from: string; to: string; notifyName: string };

/** What whatsapp-web.js's Message makes of a page model (its _patch): the fields the mapper reads. */
function asLibraryMessage(model: Model): LibraryMessage {
  return {
    id: model.id,
    from: model.from,
    to: model.to,
    author: undefined as unknown as string,
    body: model.body,
    type: model.type as LibraryMessage['type'],
    timestamp: model.t,
    hasMedia: false,
    fromMe: model.id.fromMe,
    _data: model,
  };
}

describe('the mapper on real shapes', () => {
  it('an incoming text from a LID sender (wa-js #3143): id, LID, push name, time', () => {
    const { data } = golden<Model>('incoming-lid-text-2025-12');
    const message = incomingMessageSchema.parse(toIncomingMessage(asLibraryMessage(data)));
    expect(message).toMatchObject({
      id: 'false_179950657237125@lid_ACCFD0B51ECCFF508B1B64BA46376A15',
      from: 'xxxxxxxxxxxxxx@lid', // no phone number known: the LID, and the LID beside it
      fromLid: 'xxxxxxxxxxxxxx@lid',
      chatId: 'xxxxxxxxxxxxxx@lid',
      pushname: 'JAYDEEP',
      text: 'Ok',
      type: 'text',
      timestamp: 1765717960_000,
      key: { remoteJid: 'xxxxxxxxxxxxxx@lid', id: 'ACCFD0B51ECCFF508B1B64BA46376A15', fromMe: false },
    });
  });

  it('the same message with the phone number the page knows for the LID', () => {
    const { data } = golden<Model>('incoming-lid-text-2025-12');
    const phones = new Map([['xxxxxxxxxxxxxx@lid', '6281111111111@c.us']]);
    expect(toIncomingMessage(asLibraryMessage(data), phones)).toMatchObject({ from: '6281111111111', fromLid: 'xxxxxxxxxxxxxx@lid' });
  });

  it('an incoming key of July 2026, as whatsapp-web.js hands it over ($1, no _serialized; wwebjs #201830)', () => {
    const { data } = golden<LibraryMessageKey>('incoming-key-2026-07');
    expect(serializedKey(data)).toBe('false_123456@lid_3A97F034BBAW753D524F');
  });

  it('a sent key of July 2026 (wa-js #3484)', () => {
    const { data } = golden<LibraryMessageKey>('outgoing-key-2026-07');
    expect(serializedKey(data)).toBe('true_000000000000@lid_3EB0451E2087F6900000000');
  });

  it('group keys (WAHA #1464): sendMessage’s key as it is, the event’s key string names the group chat', () => {
    const { data } = golden<{ eventKey: string; sendMessageKey: LibraryMessageKey }>('group-keys-2025-10');
    expect(serializedKey(data.sendMessageKey)).toBe('true_120363402931855007@g.us_3EB091474C1CE5341E8F3F');
    expect(chatIdOfMessage(data.eventKey)).toBe('120363402931855007@g.us');
  });

  it('a Node-side Message of a message_ack event (wwebjs #11627)', () => {
    const { data } = golden<{ id: LibraryMessageKey }>('ack-message-c-us');
    expect(serializedKey(data.id)).toBe('true_xxxxx@c.us_MESSAGE_ID');
  });
});
