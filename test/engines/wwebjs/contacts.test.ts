/**
 * The contact book (issue 15) on a fake Client: the exact library calls (getContacts,
 * getBlockedContacts, getContactById + Contact.block/unblock, getContactLidAndPhone), the LIDs read
 * from the page without asking WhatsApp, and how results and refusals are mapped.
 */
import { describe, expect, it, vi } from 'vitest';
import type wwebjs from 'whatsapp-web.js';
import { LIDS_OF_PHONES } from '../../../src/engines/wwebjs/contact-scripts';
import { PHONES_OF_LIDS } from '../../../src/engines/wwebjs/page-scripts';
import { startedHarnessPerTest } from './session-harness';

const PHONE = '6281111111111@c.us';
const LID = '211111111111186@lid';
const HIDDEN = '299999999999999@lid';

const h = startedHarnessPerTest();

const page = () => h.client().pupPage!;
const book = () => h.session.contactBook!;

function libraryContact(id: string, fields: Partial<wwebjs.Contact> = {}): wwebjs.Contact {
  const [user, server] = id.split('@');
  return {
    id: { user, server, _serialized: id },
    number: user,
    name: undefined,
    pushname: '',
    isUser: true,
    isMe: false,
    isGroup: false,
    isMyContact: false,
    isBlocked: false,
    isBusiness: false,
    block: vi.fn(async () => true),
    unblock: vi.fn(async () => true),
    ...fields,
  } as unknown as wwebjs.Contact;
}

describe('list', () => {
  it('lists people once each, ordered by id, with the LIDs the page knows; no groups, no account itself', async () => {
    h.client().getContacts.mockResolvedValue([
      libraryContact(PHONE, { pushname: 'Ann' }),
      libraryContact(PHONE, { name: 'Ann Saved', isMyContact: true }), // the same person by LID, mapped to the number by the library
      libraryContact(HIDDEN, { pushname: 'Hidden', number: '299999999999999' }),
      libraryContact('120363021234567890@g.us', { isUser: false, isGroup: true }),
      libraryContact('15550001234@c.us', { isMe: true }),
    ]);
    page().answer(LIDS_OF_PHONES, () => ({ [PHONE]: LID }));
    expect(await book().list()).toEqual([
      { id: HIDDEN, number: null, lid: HIDDEN, name: null, pushname: 'Hidden', isMyContact: false, isBlocked: false, isBusiness: false },
      {
        id: PHONE,
        number: '6281111111111',
        lid: LID,
        name: 'Ann Saved',
        pushname: 'Ann',
        isMyContact: true,
        isBlocked: false,
        isBusiness: false,
      },
    ]);
    expect(h.client().getContacts).toHaveBeenCalledExactlyOnceWith();
    expect(page().scriptCalls(LIDS_OF_PHONES)).toEqual([[PHONE]]);
  });

  it('answers the blocklist from getBlockedContacts', async () => {
    h.client().getBlockedContacts.mockResolvedValue([libraryContact(PHONE, { isBlocked: true })]);
    page().answer(LIDS_OF_PHONES, () => ({}));
    expect(await book().blocked()).toEqual([expect.objectContaining({ id: PHONE, isBlocked: true, lid: null })]);
    expect(h.client().getBlockedContacts).toHaveBeenCalledExactlyOnceWith();
  });

  it('fails engine_error when the page fails', async () => {
    h.client().getContacts.mockRejectedValue(new Error('Evaluation failed'));
    await expect(book().list()).rejects.toMatchObject({ code: 'engine_error' });
  });
});

describe('setBlocked', () => {
  it('blocks and unblocks through the Contact of getContactById', async () => {
    const contact = libraryContact(PHONE);
    h.client().getContactById.mockResolvedValue(contact);
    await book().setBlocked(PHONE, true);
    await book().setBlocked(PHONE, false);
    expect(h.client().getContactById.mock.calls).toEqual([[PHONE], [PHONE]]);
    expect(contact.block).toHaveBeenCalledOnce();
    expect(contact.unblock).toHaveBeenCalledOnce();
  });

  it('refuses invalid_number when the library will not block (a group)', async () => {
    h.client().getContactById.mockResolvedValue(libraryContact(PHONE, { block: vi.fn(async () => false) }));
    await expect(book().setBlocked(PHONE, true)).rejects.toMatchObject({ code: 'invalid_number' });
  });
});

describe('resolve', () => {
  it('answers a LID from what the page already knows, without the library lookup', async () => {
    page().answer(PHONES_OF_LIDS, () => ({ [LID]: PHONE }));
    expect(await book().resolve(LID)).toEqual({ phoneId: PHONE, lid: LID });
    expect(h.client().getContactLidAndPhone).not.toHaveBeenCalled();
  });

  it('asks getContactLidAndPhone otherwise; unknown parts are null', async () => {
    h.client().getContactLidAndPhone.mockResolvedValueOnce([{ lid: LID, pn: PHONE }]);
    expect(await book().resolve(PHONE)).toEqual({ phoneId: PHONE, lid: LID });
    expect(h.client().getContactLidAndPhone).toHaveBeenCalledWith([PHONE]);
    h.client().getContactLidAndPhone.mockResolvedValueOnce([{ lid: HIDDEN } as { lid: string; pn: string }]);
    expect(await book().resolve(HIDDEN)).toEqual({ phoneId: null, lid: HIDDEN });
  });

  it('answers null when WhatsApp has no such account (the library gives neither)', async () => {
    h.client().getContactLidAndPhone.mockResolvedValueOnce([{} as { lid: string; pn: string }]);
    expect(await book().resolve('6281111111000@c.us')).toBeNull();
  });
});
