/** Numbers and profiles. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const contactsEvents = {
  phone_check_result: s.phoneCheckResultSchema,
  phone_check_error: s.phoneCheckErrorSchema,
  profile_info: s.profileInfoSchema,
  // issue 15
  contacts_list: s.contactsListSchema,
  contact_block_state: s.contactBlockStateSchema,
  blocked_contacts: s.blockedContactsSchema,
  contact_resolved: s.contactResolvedSchema,
} as const;

export const contactsEventNotes = {
  phone_check_result: { summary: 'Answer to check_phone_number.', delivery: 'the requesting connection' },
  phone_check_error: { summary: 'check_phone_number failed.', delivery: 'the requesting connection' },
  profile_info: { summary: 'Answer to get_profile_info.', delivery: 'the requesting connection' },
  // issue 15
  contacts_list: { summary: 'Answer to get_contacts: one page of contacts.', delivery: 'the requesting connection' },
  contact_block_state: {
    summary: 'Answer to block_contact and unblock_contact: WhatsApp took the change.',
    delivery: 'the requesting connection',
  },
  blocked_contacts: { summary: 'Answer to get_blocked_contacts.', delivery: 'the requesting connection' },
  contact_resolved: {
    summary: "Answer to resolve_contact: a person's phone-number id and LID, as far as WhatsApp knows them.",
    delivery: 'the requesting connection',
  },
} as const satisfies ServerEventNotes<typeof contactsEvents>;

export const contactsRequests = {
  check_phone_number: {
    payload: s.phoneQuerySchema,
    success: 'phone_check_result',
    error: 'phone_check_error',
    summary: 'Tell whether a number has a WhatsApp account.',
  },
  get_profile_info: {
    payload: s.phoneQuerySchema,
    success: 'profile_info',
    error: 'session_error',
    summary: 'Name, about text and profile picture of a contact.',
  },
  // issue 15
  get_contacts: {
    payload: s.contactsQuerySchema,
    success: 'contacts_list',
    error: 'session_error',
    summary: 'The people WhatsApp Web knows (saved contacts and those it has met), a page at a time.',
  },
  block_contact: {
    payload: s.contactRefSchema,
    success: 'contact_block_state',
    error: 'session_error',
    summary: 'Block a person: they can no longer call or message this account.',
  },
  unblock_contact: {
    payload: s.contactRefSchema,
    success: 'contact_block_state',
    error: 'session_error',
    summary: 'Unblock a person.',
  },
  get_blocked_contacts: {
    payload: s.sessionRefSchema,
    success: 'blocked_contacts',
    error: 'session_error',
    summary: 'The people this account has blocked.',
  },
  resolve_contact: {
    payload: s.resolveContactSchema,
    success: 'contact_resolved',
    error: 'session_error',
    summary: "A person's phone-number id and LID, from either (a number, …@c.us or …@lid); unknown parts are null.",
  },
} as const satisfies RequestSpecs;
