/**
 * Replies, mentions, locations, polls, contact cards and stickers through the Socket.IO API with the
 * real engine: whatsapp-web.js in headless Chromium against the WhatsApp Web double, on every profile.
 * The double keeps what the library built for the site (sentKinds), which is what these check.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, deliverMessage, lidOf, sentKinds, type DoubleProfile } from '../../double/harness';
import { hasBrowser, phone, scanFromPhone, startDoubleGateway, type DoubleGateway, type EventLog, type Phone } from '../../double/gateway';

import type { GatewayClient } from '../../src/client/gateway-client';
import type { RequestInput } from '../../src/protocol/events';
import { makeTempRoot } from '../support/sandbox-gateway';
import { PNG_BASE64, closeAndCheckClean } from './support';

const SESSION = 'kinds';
const CONTACT = '6281111111111';
const CONTACT_ID = `${CONTACT}@c.us`;
const FRIEND = '6282222222222';
const OTHER_FRIEND = '6283333333333';
const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Budi Santoso\nTEL;type=CELL;waid=6281234567890:+62 812-3456-7890\nEND:VCARD';
/** The head of a webp file: the page does not decode a webp sticker, it uploads it as it is. */
const WEBP_BASE64 = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(8)]).toString('base64');

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'sending kinds with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    let root: string;
    let gw: DoubleGateway;
    let log: EventLog;
    let api: GatewayClient;
    let device: Phone;
    /** Where the contact's messages live: their LID chat on the LID profile. */
    let contactChat: string;
    const send = (fields: Omit<RequestInput<'send_whatsapp_message'>, 'sessionId' | 'to'>) =>
      api.sendMessage({ sessionId: SESSION, to: CONTACT, ...fields });

    beforeAll(async () => {
      root = await makeTempRoot();
      gw = await startDoubleGateway(root, { MEDIA_ALLOW_DATA: '1' }, { profile });
      log = await gw.client();
      api = (await gw.client()).client;
      const after = log.mark();
      await api.startSession(SESSION);
      await log.next('qr_code', (q) => q.sessionId === SESSION, { after });
      device = await phone(gw.dataDir, SESSION);
      contactChat = profile === '2026-07-lid' ? await lidOf(device.page, CONTACT) : CONTACT_ID;
      await scanFromPhone(device);
      await log.next('session_connected', (c) => c.sessionId === SESSION, { after });
    });

    afterAll(async () => {
      await device?.disconnect();
      await closeAndCheckClean(gw, root);
    });

    const lastSent = async () => (await sentKinds(device.page)).at(-1);

    it('sends a location: the name and address become its description', async () => {
      const sent = await send({
        type: 'location',
        location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Gambir, Jakarta' },
      });
      expect(sent).toMatchObject({ type: 'location', chatId: contactChat });
      expect(await lastSent()).toEqual({
        id: sent.messageId,
        type: 'location',
        loc: 'Monas\nGambir, Jakarta',
        lat: -6.1754,
        lng: 106.8272,
      });
    });

    it('sends polls, single and multiple choice', async () => {
      const single = await send({ type: 'poll', poll: { question: 'Lunch?', options: ['Rice', 'Noodles'] } });
      expect(await lastSent()).toEqual({
        id: single.messageId,
        type: 'poll_creation',
        pollName: 'Lunch?',
        pollOptions: [
          { name: 'Rice', localId: 0 },
          { name: 'Noodles', localId: 1 },
        ],
        pollSelectableOptionsCount: 1,
      });
      const multiple = await send({
        type: 'poll',
        poll: { question: 'Toppings?', options: ['Egg', 'Chili', 'Onion'], allowMultipleAnswers: true },
      });
      expect(multiple.type).toBe('poll');
      expect(await lastSent()).toMatchObject({ id: multiple.messageId, pollName: 'Toppings?', pollSelectableOptionsCount: 0 });
    });

    it('sends contact cards: from one number, from several, and a vCard of your own', async () => {
      const one = await send({ type: 'contact', contact: { numbers: [FRIEND] } });
      expect(one.type).toBe('contact');
      const card = await lastSent();
      expect(card).toMatchObject({ id: one.messageId, type: 'vcard', vcardFormattedName: `Contact ${FRIEND}` });
      expect(card!.body).toContain(`TEL;type=CELL;waid=${FRIEND}:+${FRIEND}`);

      const several = await send({ type: 'contact', contact: { numbers: [FRIEND, `+${OTHER_FRIEND}`] } });
      const list = await lastSent();
      expect(list).toMatchObject({ id: several.messageId, type: 'multi_vcard' });
      expect(list!.vcardList!.map((c) => c.displayName)).toEqual([`Contact ${FRIEND}`, `Contact ${OTHER_FRIEND}`]);

      const own = await send({ type: 'contact', contact: { vcard: VCARD } });
      expect(await lastSent()).toEqual({ id: own.messageId, type: 'vcard', body: VCARD, vcardFormattedName: 'Budi Santoso' });
    });

    it('sends stickers: a webp as it is, a PNG converted to webp in the page', async () => {
      const webp = await send({ type: 'sticker', media: { data: WEBP_BASE64, mimetype: 'image/webp' } });
      expect(webp.type).toBe('sticker');
      expect(await lastSent()).toEqual({ id: webp.messageId, type: 'sticker', stickerIsWebp: true });
      const png = await send({ type: 'sticker', media: { data: PNG_BASE64, mimetype: 'image/png', fileName: 'dot.png' } });
      expect(await lastSent()).toEqual({ id: png.messageId, type: 'sticker', stickerIsWebp: true });
    });

    it('replies to a received message and mentions a number; a reply to a message the page lacks is refused', async () => {
      const after = log.mark();
      const incoming = await deliverMessage(device.page, { from: CONTACT_ID, body: 'what time?' });
      const received = await log.next('message_received', (m) => m.message.id === incoming, { after });
      const reply = await send({ message: `at noon, ask @${FRIEND}`, quotedMessageId: received.message.id, mentions: [FRIEND] });
      expect(await lastSent()).toEqual({
        id: reply.messageId,
        type: 'chat',
        quotedStanzaID: received.message.key.id,
        quotedParticipant: contactChat,
        mentionedJidList: [`${FRIEND}@c.us`],
      });

      const before = (await sentKinds(device.page)).length;
      await expect(send({ message: 'to nothing', quotedMessageId: `false_${contactChat}_3EB0NOSUCHMESSAGE` })).rejects.toMatchObject({
        code: 'quoted_message_not_found',
      });
      expect(await sentKinds(device.page)).toHaveLength(before);
    });

    it('needed no module the double lacks', async () => {
      expect(await device.page.evaluate(() => window.WADouble.missing)).toEqual([]);
    });
  },
);
