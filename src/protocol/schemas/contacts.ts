/** check_phone_number and get_profile_info. */
import { z } from 'zod';
import { errorCodeSchema, sessionIdSchema } from './common';
import { chatAddress } from './fields';

export const phoneQuerySchema = z.object({ sessionId: sessionIdSchema, phoneNumber: chatAddress });

export const phoneCheckResultSchema = z.object({
  sessionId: z.string(),
  phoneNumber: z.string(),
  exists: z.boolean(),
  jid: z.string().nullable(),
  lid: z.string().optional().describe("The number's LID (…@lid), when WhatsApp Web knows it."),
});

export const phoneCheckErrorSchema = z.object({
  sessionId: z.string().optional(),
  phoneNumber: z.string().optional(),
  message: z.string(),
  code: errorCodeSchema,
});

export const profileInfoSchema = z.object({
  sessionId: z.string(),
  phoneNumber: z.string(),
  profileInfo: z.object({
    jid: z.string(),
    name: z.string().nullable(),
    pushname: z.string().nullable(),
    about: z.string().nullable(),
    profilePicUrl: z.string().nullable(),
    isBusiness: z.boolean(),
  }),
});
export type ProfileInfo = z.infer<typeof profileInfoSchema>['profileInfo'];

// ---------- contact lists, blocking, LID <-> phone (issue 15) ----------

/** A person as `get_contacts` and `get_blocked_contacts` list them: what WhatsApp Web knows, unknown parts null. */
const contactSummarySchema = z.object({
  id: z.string().describe('The id to address them by: `…@c.us`, or `…@lid` when WhatsApp Web does not know their number.'),
  number: z.string().nullable().describe('Digits with country code, no "+"; null when WhatsApp Web does not know it (a hidden number).'),
  lid: z.string().nullable().describe('Their LID (`…@lid`), when WhatsApp Web knows it.'),
  name: z.string().nullable().describe("The name saved in this account's address book."),
  pushname: z.string().nullable().describe('The name they gave themselves on WhatsApp.'),
  isMyContact: z.boolean().describe("Saved in this account's address book."),
  isBlocked: z.boolean(),
  isBusiness: z.boolean(),
});
export type ContactSummary = z.infer<typeof contactSummarySchema>;

const CONTACTS_PAGE_MAX = 500;

export const contactsQuerySchema = z.object({
  sessionId: sessionIdSchema,
  limit: z.number().int().min(1).max(CONTACTS_PAGE_MAX).default(100).describe('Contacts per page.'),
  cursor: z.string().min(1).max(512).optional().describe('`nextCursor` of the page before; absent for the first page.'),
});

export const contactsListSchema = z.object({
  sessionId: z.string(),
  contacts: z.array(contactSummarySchema).describe('Ordered by id; a page holds at most `limit`.'),
  nextCursor: z.string().nullable().describe('Pass it as `cursor` for the next page; null on the last one.'),
});

const personAddress = z
  .string()
  .min(1)
  .max(128)
  .describe('Phone number with country code (6282284316465, +62 822-8431-6465), a person id (…@c.us) or a LID (…@lid).');

export const contactRefSchema = z.object({ sessionId: sessionIdSchema, contactId: personAddress });

export const contactBlockStateSchema = z.object({
  sessionId: z.string(),
  contactId: z.string().describe('`contactId` as sent in the request.'),
  isBlocked: z.boolean(),
});

export const blockedContactsSchema = z.object({ sessionId: z.string(), contacts: z.array(contactSummarySchema) });

export const resolveContactSchema = z.object({ sessionId: sessionIdSchema, id: personAddress });

export const contactResolvedSchema = z.object({
  sessionId: z.string(),
  id: z.string().describe('`id` as sent in the request.'),
  phoneId: z.string().nullable().describe('Their phone-number id (`…@c.us`), when WhatsApp knows it; never guessed.'),
  number: z.string().nullable().describe('The digits of `phoneId`.'),
  lid: z.string().nullable().describe('Their LID (`…@lid`), when WhatsApp knows it; never guessed.'),
});
