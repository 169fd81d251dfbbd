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
