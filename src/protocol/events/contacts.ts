/** Numbers and profiles. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const contactsEvents = {
  phone_check_result: s.phoneCheckResultSchema,
  phone_check_error: s.phoneCheckErrorSchema,
  profile_info: s.profileInfoSchema,
} as const;

export const contactsEventNotes = {
  phone_check_result: { summary: 'Answer to check_phone_number.', delivery: 'the requesting connection' },
  phone_check_error: { summary: 'check_phone_number failed.', delivery: 'the requesting connection' },
  profile_info: { summary: 'Answer to get_profile_info.', delivery: 'the requesting connection' },
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
} as const satisfies RequestSpecs;
