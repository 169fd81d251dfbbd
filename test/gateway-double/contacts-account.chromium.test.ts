/**
 * Contacts and the own profile (issue 15) through the Socket.IO API with the real engine: whatsapp-web.js
 * in headless Chromium against the WhatsApp Web double, on every profile. The double keeps the
 * blocklist, the address book and the account's name, about text and picture (its section
 * "contacts and account"), which is what these check besides the answers.
 */
import { describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, blockedIds, deliverMessage, lidOf, ownProfile, saveContact, type DoubleProfile } from '../../double/harness';
import { hasBrowser } from '../../double/gateway';
import { PNG_BASE64, pairedOnDouble } from './support';

const SESSION = 'contacts';
const FRIEND = '6281111111111';
const SAVED = '6282222222222';

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'contacts and own profile with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    const paired = pairedOnDouble(SESSION, profile, { mediaFiles: { 'dot.png': Buffer.from(PNG_BASE64, 'base64') } });
    const lidProfile = profile === '2026-07-lid';

    it('lists the people the page knows, saved ones as "my contact", with their LIDs where known', async () => {
      const after = paired.log.mark();
      await deliverMessage(paired.device.page, { from: `${FRIEND}@c.us`, body: 'hi' });
      await paired.log.next('message_received', (m) => m.message.text === 'hi', { after });
      await saveContact(paired.device.page, SAVED, 'Saved Friend');
      const { contacts, nextCursor } = await paired.api.request('get_contacts', { sessionId: SESSION });
      expect(nextCursor).toBeNull();
      expect(contacts).toEqual(
        expect.arrayContaining([
          {
            id: `${FRIEND}@c.us`,
            number: FRIEND,
            lid: lidProfile ? await lidOf(paired.device.page, FRIEND) : null,
            name: null,
            pushname: `Contact ${lidProfile ? (await lidOf(paired.device.page, FRIEND)).split('@')[0] : FRIEND}`,
            isMyContact: false,
            isBlocked: false,
            isBusiness: false,
          },
          expect.objectContaining({ id: `${SAVED}@c.us`, name: 'Saved Friend', isMyContact: true }),
        ]),
      );
      expect(contacts.map((contact) => contact.id)).not.toContain('15550001234@c.us');
      const page = await paired.api.request('get_contacts', { sessionId: SESSION, limit: 1 });
      expect(page.contacts).toHaveLength(1);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('blocks and unblocks: the page blocklist, get_blocked_contacts and the contact flags follow', async () => {
      await expect(paired.api.request('block_contact', { sessionId: SESSION, contactId: FRIEND })).resolves.toEqual({
        sessionId: SESSION,
        contactId: FRIEND,
        isBlocked: true,
      });
      expect(await blockedIds(paired.device.page)).toEqual([`${FRIEND}@c.us`]);
      const { contacts } = await paired.api.request('get_blocked_contacts', { sessionId: SESSION });
      expect(contacts).toEqual([expect.objectContaining({ id: `${FRIEND}@c.us`, isBlocked: true })]);
      await paired.api.request('unblock_contact', { sessionId: SESSION, contactId: FRIEND });
      expect(await blockedIds(paired.device.page)).toEqual([]);
      await expect(paired.api.request('block_contact', { sessionId: SESSION, contactId: '6281111111000' })).rejects.toMatchObject({
        code: 'not_on_whatsapp',
      });
    });

    it('resolves a number to its LID and a LID to its number, as far as the page knows them', async () => {
      const answer = await paired.api.request('resolve_contact', { sessionId: SESSION, id: FRIEND });
      const lid = lidProfile ? await lidOf(paired.device.page, FRIEND) : null;
      expect(answer).toEqual({ sessionId: SESSION, id: FRIEND, phoneId: `${FRIEND}@c.us`, number: FRIEND, lid });
      if (lid) {
        await expect(paired.api.request('resolve_contact', { sessionId: SESSION, id: lid })).resolves.toMatchObject({
          phoneId: `${FRIEND}@c.us`,
          lid,
        });
      }
      await expect(paired.api.request('resolve_contact', { sessionId: SESSION, id: '6281111111000' })).rejects.toMatchObject({
        code: 'not_on_whatsapp',
      });
    });

    it('changes the display name, about text and picture; get_own_profile reads them back', async () => {
      await paired.api.request('set_display_name', { sessionId: SESSION, name: 'Support Bot' });
      await paired.api.request('set_about', { sessionId: SESSION, about: 'Answers in minutes' });
      await expect(paired.api.request('set_profile_picture', { sessionId: SESSION, media: 'dot.png' })).resolves.toMatchObject({
        mimetype: 'image/png',
      });
      expect(await ownProfile(paired.device.page)).toEqual({ pushname: 'Support Bot', about: 'Answers in minutes', pictureTag: '2' });
      const own = await paired.api.request('get_own_profile', { sessionId: SESSION });
      expect(own).toEqual({
        sessionId: SESSION,
        phoneNumber: '15550001234',
        lid: lidProfile ? await lidOf(paired.device.page, '15550001234') : null,
        displayName: 'Support Bot',
        about: 'Answers in minutes',
        profilePicUrl: expect.stringContaining('double_me_2'),
      });
      await paired.api.request('delete_profile_picture', { sessionId: SESSION });
      await expect(paired.api.request('get_own_profile', { sessionId: SESSION })).resolves.toMatchObject({ profilePicUrl: null });
      await expect(paired.api.request('delete_profile_picture', { sessionId: SESSION })).rejects.toMatchObject({
        code: 'profile_update_refused',
      });
      await expect(paired.api.request('set_profile_picture', { sessionId: SESSION, media: 'report.pdf' })).rejects.toMatchObject({
        code: 'unsupported_type',
      });
    });
  },
);
