/** What the receiving slice of issue 14 reads from whatsapp-web.js messages, reactions, votes and calls. */
import { describe, expect, it } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import {
  lidsOf,
  toIncomingCall,
  toIncomingMessage,
  toMessageEdit,
  toMessageReaction,
  toMessageRevoke,
  toPollVote,
} from '../../../src/engines/wwebjs/message-mapper';
import { incomingMessageSchema } from '../../../src/protocol/schemas';
import { libraryMessage } from './fake-client';

const ME = '15550001234@c.us';
const PERSON = '6281111111111@c.us';
const GROUP = '120363021234567890@g.us';
const LID = '211111111118260@lid';
const phones = new Map([[LID, '6283333333333@c.us']]);

function map(fields: Parameters<typeof libraryMessage>[0], ownIds: string[] = []) {
  return incomingMessageSchema.parse(toIncomingMessage(libraryMessage(fields), phones, ownIds));
}

describe('the replied-to message, from what the reply carries', () => {
  it('quotes a text of the other person in a one-to-one chat', () => {
    const message = map({
      _data: { quotedMsg: { type: 'chat', body: 'are you there?' }, quotedStanzaID: 'Q1', quotedParticipant: PERSON },
    });
    expect(message.quoted).toEqual({ id: `false_${PERSON}_Q1`, from: '6281111111111', text: 'are you there?', type: 'text' });
  });

  it("quotes the account's own message in a group: fromMe, and the author in the id", () => {
    const message = map({
      id: { fromMe: false, remote: GROUP, id: 'G1', _serialized: `false_${GROUP}_G1_${PERSON}` },
      from: GROUP,
      author: PERSON,
      to: ME,
      _data: {
        quotedMsg: { type: 'image', body: '/9j/4AAQ…thumbnail', caption: 'our trip' },
        quotedStanzaID: 'Q2',
        quotedParticipant: { _serialized: ME },
      },
    });
    expect(message.quoted).toEqual({ id: `true_${GROUP}_Q2_${ME}`, from: '15550001234', text: 'our trip', type: 'image' });
  });

  it("knows the account's own LID as its own when told", () => {
    const myLid = '299999999999999@lid';
    const message = map({ _data: { quotedMsg: { type: 'chat', body: 'mine' }, quotedStanzaID: 'Q3', quotedParticipant: myLid } }, [
      ME,
      myLid,
    ]);
    expect(message.quoted?.id).toBe(`true_${PERSON}_Q3`);
  });

  it('shows a LID author by phone number when the page knows it, and looks the LID up', () => {
    const fields = { _data: { quotedMsg: { type: 'chat', body: 'x' }, quotedStanzaID: 'Q4', quotedParticipant: LID } };
    expect(map(fields).quoted?.from).toBe('6283333333333');
    expect(lidsOf(libraryMessage(fields))).toContain(LID);
  });

  it('has no quoted without a quoted message', () => {
    expect(map({})).not.toHaveProperty('quoted');
  });
});

describe('what else a message carries', () => {
  it('marks a message of this account fromMe', () => {
    const message = map({
      id: { fromMe: true, remote: PERSON, id: 'OUT', _serialized: `true_${PERSON}_OUT` },
      fromMe: true,
      from: ME,
      to: PERSON,
    });
    expect(message.fromMe).toBe(true);
  });

  it('lists mentions as numbers, or LIDs the page cannot map, in either wid form', () => {
    const unknownLid = '277777777777777@lid';
    const message = map({ mentionedIds: ['6284444444444@c.us', { _serialized: LID }, unknownLid] });
    expect(message.mentions).toEqual(['6284444444444', '6283333333333', unknownLid]);
    expect(lidsOf(libraryMessage({ mentionedIds: [LID, unknownLid] }))).toEqual([LID, unknownLid]);
  });

  it('reads a location with its name and address', () => {
    const location = new wwebjs.Location(-6.2, 106.8, { name: 'Monas', address: 'Jakarta', url: 'https://monas.example' });
    expect(map({ type: 'location' as wwebjs.MessageTypes, location }).location).toEqual({
      latitude: -6.2,
      longitude: 106.8,
      name: 'Monas',
      address: 'Jakarta',
      url: 'https://monas.example',
    });
  });

  it('reads the vCards of a contact message', () => {
    const vCards = ['BEGIN:VCARD\nVERSION:3.0\nFN:Budi\nEND:VCARD', 'BEGIN:VCARD\nVERSION:3.0\nFN:Sari\nEND:VCARD'];
    expect(map({ type: 'multi_vcard' as wwebjs.MessageTypes, vCards }).vcards).toEqual(vCards);
  });

  it('reads a poll: its question and option names, one answer or several', () => {
    const poll = map({
      type: 'poll_creation' as wwebjs.MessageTypes,
      body: 'Lunch?',
      pollName: 'Lunch?',
      pollOptions: [
        { name: 'Rice', localId: 0 },
        { name: 'Noodles', localId: 1 },
      ],
      allowMultipleAnswers: false,
    });
    expect(poll).toMatchObject({ type: 'poll', poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false } });
  });

  it('says when a message was forwarded', () => {
    expect(map({ isForwarded: true }).isForwarded).toBe(true);
  });

  it('describes attached media: type, file name, size, and duration of a voice note', () => {
    const voice = map({
      type: 'ptt' as wwebjs.MessageTypes,
      hasMedia: true,
      duration: '7',
      _data: { mimetype: 'audio/ogg; codecs=opus', size: 12_345 },
    });
    expect(voice.media).toEqual({ mimetype: 'audio/ogg; codecs=opus', size: 12_345, durationSeconds: 7 });
    const pdf = map({
      type: 'document' as wwebjs.MessageTypes,
      hasMedia: true,
      _data: { mimetype: 'application/pdf', filename: 'report.pdf', size: 99 },
    });
    expect(pdf.media).toEqual({ mimetype: 'application/pdf', fileName: 'report.pdf', size: 99 });
    expect(map({ _data: { mimetype: 'image/jpeg' } })).not.toHaveProperty('media'); // no media attached
  });
});

describe('edits, deletions, reactions, votes and calls', () => {
  const original = { id: { fromMe: false, remote: PERSON, id: 'M1', _serialized: `false_${PERSON}_M1` } };

  it('reports an edit with the new and the previous text', () => {
    const edited = libraryMessage({
      ...original,
      body: 'see you at 8',
      _data: { latestEditMsgKey: { id: 'E1' }, latestEditSenderTimestampMs: 1 },
    });
    expect(toMessageEdit(edited, 'see you at 8', 'see you at 7')).toEqual({
      messageId: `false_${PERSON}_M1`,
      chatId: PERSON,
      text: 'see you at 8',
      previousText: 'see you at 7',
    });
  });

  it('ignores a body that changes without an edit (a message decrypted in place) and a revoke', () => {
    expect(toMessageEdit(libraryMessage({ ...original, _data: {} }), 'hello', '')).toBeNull();
    const revoked = libraryMessage({ ...original, type: 'revoked' as wwebjs.MessageTypes, _data: { latestEditSenderTimestampMs: 1 } });
    expect(toMessageEdit(revoked, '', 'hello')).toBeNull();
  });

  it('reports a deletion by the group member who sent it, and by the account for its own', () => {
    const inGroup = libraryMessage({
      id: { fromMe: false, remote: GROUP, id: 'G9', _serialized: `false_${GROUP}_G9_${LID}` },
      from: GROUP,
      author: LID,
      type: 'revoked' as wwebjs.MessageTypes,
    });
    expect(toMessageRevoke(inGroup, phones)).toEqual({ messageId: `false_${GROUP}_G9_${LID}`, chatId: GROUP, revokedBy: '6283333333333' });
    const own = libraryMessage({
      id: { fromMe: true, remote: PERSON, id: 'O1', _serialized: `true_${PERSON}_O1` },
      fromMe: true,
      from: ME,
      to: PERSON,
    });
    expect(toMessageRevoke(own).revokedBy).toBe('15550001234');
  });

  it('reports a reaction to a message whose July 2026 key crossed as JSON ($1, remote a string)', () => {
    const msgId = { fromMe: true, remote: LID, id: '3EB0AA', $1: `true_${LID}_3EB0AA` } as unknown as wwebjs.MessageId;
    expect(toMessageReaction({ msgId, senderId: LID, reaction: '👍' }, phones)).toEqual({
      messageId: `true_${LID}_3EB0AA`,
      chatId: LID,
      from: '6283333333333',
      emoji: '👍',
    });
    expect(toMessageReaction({ msgId, senderId: PERSON, reaction: '' }).emoji).toBe('');
  });

  it('reports a vote by option names, and an option the library could not name by its local id', () => {
    const parentMsgKey = { fromMe: true, remote: PERSON, id: 'POLL1', _serialized: `true_${PERSON}_POLL1` };
    const vote = toPollVote({
      voter: { _serialized: PERSON },
      selectedOptions: [{ name: 'Rice', localId: 0 }, { localId: 3 }],
      parentMsgKey,
    });
    expect(vote).toEqual({ messageId: `true_${PERSON}_POLL1`, chatId: PERSON, voter: '6281111111111', selectedOptions: ['Rice', '3'] });
  });

  it('reports a call by who calls', () => {
    expect(toIncomingCall({ id: 'C1', from: LID, isVideo: true, isGroup: false, fromMe: false }, phones)).toEqual({
      callId: 'C1',
      from: '6283333333333',
      isVideo: true,
      isGroup: false,
    });
  });
});
