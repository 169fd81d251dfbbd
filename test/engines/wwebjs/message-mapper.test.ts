import { describe, expect, it } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import { lidsOf, serializedKey, toAckStatus, toIncomingMessage, type LibraryMessageKey } from '../../../src/engines/wwebjs/message-mapper';
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
      fromMe: false,
      isForwarded: false,
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
    ['poll_creation', 'poll'],
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

describe('ids of July 2026 message keys', () => {
  const KEY = { fromMe: false, remote: '123456789012345@lid', id: '3A97F034BB' };

  it.each([
    ['the minified $1', { ...KEY, $1: 'false_123456789012345@lid_3A97F034BB' }],
    ['a cache under another minified name', { ...KEY, $2: 'false_123456789012345@lid_3A97F034BB' }],
    ['no cache at all (built from the parts)', KEY],
  ])('reads the serialized id from %s', (_, id) => {
    expect(serializedKey(id as LibraryMessageKey)).toBe('false_123456789012345@lid_3A97F034BB');
  });

  it('keeps the participant of a group key, given as a serialized wid', () => {
    const participant = { server: 'lid', user: '222', _serialized: '222@lid' };
    expect(serializedKey({ fromMe: true, remote: '120363021234567890@g.us', id: 'G1', participant })).toBe(
      'true_120363021234567890@g.us_G1_222@lid',
    );
  });

  it('prefers _serialized where the page still has it', () => {
    expect(serializedKey({ ...KEY, _serialized: 'false_123456789012345@lid_3A97F034BB_out', $1: 'ignored' } as LibraryMessageKey)).toBe(
      'false_123456789012345@lid_3A97F034BB_out',
    );
  });
});

describe('LID senders', () => {
  const LID = '211111111118260@lid';
  const phones = new Map([[LID, '6281111111111@c.us']]);

  it('gives the phone number as from, and the LID beside it', () => {
    const message = incomingMessageSchema.parse(
      toIncomingMessage(libraryMessage({ id: { fromMe: false, remote: LID, id: 'X', _serialized: `false_${LID}_X` }, from: LID }), phones),
    );
    expect(message).toMatchObject({ from: '6281111111111', fromLid: LID, chatId: LID, key: { remoteJid: LID } });
  });

  it('does the same for a group author', () => {
    const group = '120363021234567890@g.us';
    const message = toIncomingMessage(libraryMessage({ from: group, author: LID }), phones);
    expect(message).toMatchObject({ from: group, author: '6281111111111', authorLid: LID, key: { participant: LID } });
    expect(lidsOf(libraryMessage({ from: group, author: LID }))).toEqual([LID]);
  });
});

describe('toAckStatus', () => {
  it.each([
    [-7, 'error'],
    [-4, 'error'],
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
    expect(toAckStatus(-8)).toBeNull();
    expect(toAckStatus(1.5)).toBeNull();
  });
});
