import { describe, expect, it } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import { toAckStatus, toIncomingMessage } from '../../../src/engines/wwebjs/message-mapper';
import { incomingMessageSchema } from '../../../src/protocol/schemas';
import { libraryMessage } from './fake-client';

const GROUP = '120363021234567890@g.us';

function map(fields: Parameters<typeof libraryMessage>[0]) {
  return incomingMessageSchema.parse(toIncomingMessage(libraryMessage(fields)));
}

describe('toIncomingMessage', () => {
  it('maps a person-to-person text message', () => {
    expect(map({ _data: { notifyName: 'Budi' } })).toEqual({
      id: 'false_6281111111111@c.us_ABC123',
      key: { remoteJid: '6281111111111@c.us', id: 'ABC123', fromMe: false },
      from: '6281111111111',
      to: '15550001234',
      chatId: '6281111111111@c.us',
      text: 'hello',
      type: 'text',
      isGroup: false,
      pushname: 'Budi',
      timestamp: 1_700_000_000_000,
      hasMedia: false,
    });
  });

  it('maps a group message: from is the group, author and key.participant the member', () => {
    const message = map({
      id: { fromMe: false, remote: GROUP, id: 'G1', _serialized: `false_${GROUP}_G1_6282222222222@c.us` },
      from: GROUP,
      author: '6282222222222@c.us',
    });
    expect(message).toMatchObject({
      from: GROUP,
      chatId: GROUP,
      author: '6282222222222',
      isGroup: true,
      key: { remoteJid: GROUP, id: 'G1', fromMe: false, participant: '6282222222222@c.us' },
    });
  });

  it('uses the recipient as the chat of a message this account sent', () => {
    const message = map({
      id: { fromMe: true, remote: '6281111111111@c.us', id: 'OUT', _serialized: 'true_6281111111111@c.us_OUT' },
      fromMe: true,
      from: '15550001234@c.us',
      to: '6281111111111@c.us',
    });
    expect(message).toMatchObject({
      chatId: '6281111111111@c.us',
      from: '15550001234',
      key: { remoteJid: '6281111111111@c.us', fromMe: true },
    });
  });

  it('keeps the caption of a media message as its text', () => {
    expect(map({ type: 'image' as wwebjs.MessageTypes, body: 'look', hasMedia: true })).toMatchObject({
      type: 'image',
      text: 'look',
      hasMedia: true,
    });
  });

  it.each([
    ['chat', 'text'],
    ['image', 'image'],
    ['video', 'video'],
    ['audio', 'audio'],
    ['ptt', 'audio'],
    ['document', 'document'],
    ['sticker', 'sticker'],
    ['location', 'location'],
    ['vcard', 'contact'],
    ['multi_vcard', 'contact'],
    ['poll_creation', 'other'],
    ['revoked', 'other'],
  ])('maps type %s to %s', (libraryType, type) => {
    expect(map({ type: libraryType as wwebjs.MessageTypes }).type).toBe(type);
  });

  it('leaves out a missing or empty push name, and ids that hide the number stay whole', () => {
    const message = map({ from: '123456789012345@lid', _data: { notifyName: '' } });
    expect(message).not.toHaveProperty('pushname');
    expect(message.from).toBe('123456789012345@lid');
  });
});

describe('toAckStatus', () => {
  it.each([
    [-1, 'error'],
    [0, 'pending'],
    [1, 'server'],
    [2, 'device'],
    [3, 'read'],
    [4, 'played'],
  ])('maps %i to %s', (ack, status) => {
    expect(toAckStatus(ack)).toBe(status);
  });

  it('answers null for values it does not know', () => {
    expect(toAckStatus(5)).toBeNull();
    expect(toAckStatus(-2)).toBeNull();
  });
});
