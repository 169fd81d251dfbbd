/**
 * Receiving (issue 14) with the real engine: whatsapp-web.js in headless Chromium against the WhatsApp
 * Web double on its July 2026 profiles (minified message keys; and LID addressing). The test plays the
 * phone and the contact through the double: what a received message carries, the account's messages
 * from its phone, edits, deletions, reactions, poll votes and calls (REJECT_CALLS), over Socket.IO.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deliverMessage,
  editMessage,
  lidOf,
  react,
  rejectedCalls,
  revokeMessage,
  ringCall,
  sendFromPhone,
  vote,
  type DoubleProfile,
} from '../../double/harness';
import { PNG_BASE64, waitUntil, pairedOnDouble } from './support';
import { hasBrowser } from '../../double/gateway';

const SESSION = 'receiving';
const ME = '15550001234';
const CONTACT = '6281111111111';
const CONTACT_ID = `${CONTACT}@c.us`;
const FRIEND_ID = '6282222222222@c.us';
const REPLY = 'Calls are not answered here; please write.';
const PROFILES: DoubleProfile[] = ['2026-07', '2026-07-lid'];

describe.skipIf(!hasBrowser).each(PROFILES)('receiving with the real engine on the %s double', { timeout: 60_000 }, (profile) => {
  const paired = pairedOnDouble(SESSION, profile, { env: { REJECT_CALLS: 'true', REJECT_CALLS_MESSAGE: REPLY } });
  /** The contact's chat: their LID chat on the LID profile. */
  let contactChat: string;

  beforeAll(async () => {
    contactChat = profile === '2026-07-lid' ? await lidOf(paired.device.page, CONTACT) : CONTACT_ID;
  });

  /** The contact writes; resolves with the message_received the gateway reported for it. */
  async function received(message: Parameters<typeof deliverMessage>[1]) {
    const after = paired.log.mark();
    const id = await deliverMessage(paired.device.page, message);
    return (await paired.log.next('message_received', (m) => m.message.id === id, { after })).message;
  }

  it('a reply carries the message it quotes, and a message its mentions, location, cards, poll and file', async () => {
    const question = await received({ from: CONTACT_ID, body: 'dinner at 8?' });
    const reply = await received({
      from: CONTACT_ID,
      body: 'or 9',
      quotedMessageId: question.id,
      mentions: [FRIEND_ID],
      isForwarded: true,
    });
    expect(reply).toMatchObject({
      fromMe: false,
      quoted: { id: question.id, from: CONTACT, text: 'dinner at 8?', type: 'text' },
      mentions: ['6282222222222'],
      isForwarded: true,
    });
    const sent = await paired.api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'sure' });
    const quotingOurs = await received({ from: CONTACT_ID, body: 'great', quotedMessageId: sent.messageId });
    expect(quotingOurs.quoted).toEqual({ id: sent.messageId, from: ME, text: 'sure', type: 'text' });

    const location = await received({
      from: CONTACT_ID,
      location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Jakarta' },
    });
    expect(location).toMatchObject({
      type: 'location',
      text: '',
      location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Jakarta' },
    });
    const card = 'BEGIN:VCARD\nVERSION:3.0\nFN:Sari\nTEL;type=CELL;waid=6283333333333:+62 833-3333-3333\nEND:VCARD';
    expect(await received({ from: CONTACT_ID, vcards: [card] })).toMatchObject({ type: 'contact', vcards: [card] });
    expect(await received({ from: CONTACT_ID, vcards: [card, card] })).toMatchObject({ type: 'contact', vcards: [card, card] });
    const poll = { question: 'Where?', options: ['Sate', 'Soto', 'Bakso'], allowMultipleAnswers: true };
    expect(await received({ from: CONTACT_ID, poll })).toMatchObject({ type: 'poll', text: 'Where?', poll });

    const document = await received({
      from: CONTACT_ID,
      media: { mimetype: 'application/pdf', data: PNG_BASE64, filename: 'menu.pdf' },
      caption: 'menu',
    });
    expect(document.media).toEqual({ mimetype: 'application/pdf', fileName: 'menu.pdf', size: Buffer.from(PNG_BASE64, 'base64').length });
    const voice = await received({
      from: CONTACT_ID,
      media: { mimetype: 'audio/ogg; codecs=opus', data: PNG_BASE64 },
      type: 'ptt',
      duration: 4,
    });
    expect(voice.media).toMatchObject({ mimetype: 'audio/ogg; codecs=opus', durationSeconds: 4 });
  });

  it("the account's messages from its phone are own_message; the gateway's sends never are, though the page reports them first", async () => {
    await received({ from: CONTACT_ID, body: 'so the page knows this chat' });
    const after = paired.log.mark();
    const viaGateway = await paired.api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'from the gateway' });
    const fromPhone = await sendFromPhone(paired.device.page, CONTACT_ID, 'typed on the phone');
    const own = await paired.log.next('own_message', (m) => m.message.id === fromPhone, { after });
    expect(own).toMatchObject({
      sessionId: SESSION,
      seq: expect.any(Number),
      message: { fromMe: true, from: ME, chatId: contactChat, text: 'typed on the phone', key: { fromMe: true } },
    });
    // Own messages are reported in the order they were created: the gateway's would have come first.
    expect(paired.log.since('own_message', SESSION, after).map((m) => m.message.id)).toEqual([fromPhone]);
    expect(paired.log.since('message_received', SESSION, after).map((m) => m.message.id)).not.toContain(fromPhone);
    expect(paired.log.since('message_sent', SESSION, after).map((m) => m.messageId)).toEqual([viaGateway.messageId]);
  });

  it('message_edited and message_revoked, by the contact who wrote it', async () => {
    const message = await received({ from: CONTACT_ID, body: 'see you at 7' });
    const after = paired.log.mark();
    await editMessage(paired.device.page, message.id, 'see you at 8');
    expect(await paired.log.next('message_edited', (e) => e.messageId === message.id, { after })).toMatchObject({
      chatId: contactChat,
      text: 'see you at 8',
      previousText: 'see you at 7',
      seq: expect.any(Number),
    });
    await revokeMessage(paired.device.page, message.id);
    expect(await paired.log.next('message_revoked', (r) => r.messageId === message.id, { after })).toMatchObject({
      chatId: contactChat,
      revokedBy: CONTACT,
    });
    expect(paired.log.since('message_edited', SESSION, after)).toHaveLength(1); // the revoke is no edit
  });

  it('message_reaction to a message the gateway sent, and taken back', async () => {
    const sent = await paired.api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'react to this' });
    const after = paired.log.mark();
    await react(paired.device.page, { messageId: sent.messageId, from: CONTACT_ID, emoji: '😂' });
    await react(paired.device.page, { messageId: sent.messageId, from: CONTACT_ID, emoji: '' });
    await paired.log.next('message_reaction', (r) => r.emoji === '', { after });
    expect(
      paired.log
        .since('message_reaction', SESSION, after)
        .map(({ messageId, chatId, from, emoji }) => ({ messageId, chatId, from, emoji })),
    ).toEqual([
      { messageId: sent.messageId, chatId: contactChat, from: CONTACT, emoji: '😂' },
      { messageId: sent.messageId, chatId: contactChat, from: CONTACT, emoji: '' },
    ]);
  });

  it('poll_vote: the voter’s whole choice, by name', async () => {
    const poll = await received({
      from: CONTACT_ID,
      poll: { question: 'When?', options: ['Fri', 'Sat', 'Sun'], allowMultipleAnswers: true },
    });
    const after = paired.log.mark();
    await vote(paired.device.page, { messageId: poll.id, voter: CONTACT_ID, selectedOptions: ['Sat', 'Sun'] });
    expect(await paired.log.next('poll_vote', (v) => v.messageId === poll.id, { after })).toMatchObject({
      chatId: contactChat,
      voter: CONTACT,
      selectedOptions: ['Sat', 'Sun'],
    });
  });

  it('call_received once, then REJECT_CALLS declines it in the page and the caller gets REJECT_CALLS_MESSAGE', async () => {
    await received({ from: CONTACT_ID, body: 'calling you' });
    const after = paired.log.mark();
    const callId = await ringCall(paired.device.page, { from: CONTACT_ID, isVideo: true });
    expect(await paired.log.next('call_received', (c) => c.callId === callId, { after })).toMatchObject({
      from: CONTACT,
      isVideo: true,
      isGroup: false,
    });
    const rejected = await waitUntil('the call to be declined', async () =>
      (await rejectedCalls(paired.device.page)).find((c) => c.callId === callId),
    );
    expect(rejected).toMatchObject({ to: contactChat, from: `${ME}@c.us` });
    const reply = await paired.log.next('message_sent', (m) => m.message === REPLY, { after });
    expect(reply).toMatchObject({ to: CONTACT, chatId: contactChat });
    expect(paired.log.since('call_received', SESSION, after)).toHaveLength(1);
  });
});
