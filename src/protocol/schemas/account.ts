/** The account's own profile (issue 15): display name, about text, picture. */
import { z } from 'zod';
import { sessionIdSchema } from './common';
import { inlineMediaSchema } from './sending';

/** What the WhatsApp apps let a user type: 25 characters for the name, 139 for the about text. */
const DISPLAY_NAME_MAX_LENGTH = 25;
const ABOUT_MAX_LENGTH = 139;

export const displayNameSchema = z.object({
  sessionId: sessionIdSchema,
  name: z.string().trim().min(1).max(DISPLAY_NAME_MAX_LENGTH).describe('The name shown to people who have not saved this number.'),
});

export const aboutSchema = z.object({
  sessionId: sessionIdSchema,
  about: z.string().trim().min(1).max(ABOUT_MAX_LENGTH).describe('The about text of the profile.'),
});

export const profilePictureSchema = z.object({
  sessionId: sessionIdSchema,
  media: z
    .union([z.string().min(1), inlineMediaSchema])
    .describe(
      'An image, as `media` of a send: a path inside MEDIA_DIR; or, when enabled, an https:// URL, a data: URL or { data, mimetype, fileName }.',
    ),
});

export const displayNameSetSchema = z.object({ sessionId: z.string(), name: z.string() });

export const aboutSetSchema = z.object({ sessionId: z.string(), about: z.string() });

export const profilePictureSetSchema = z.object({ sessionId: z.string(), mimetype: z.string(), size: z.number().int() });

export const profilePictureDeletedSchema = z.object({ sessionId: z.string() });

export const ownProfileSchema = z.object({
  sessionId: z.string(),
  phoneNumber: z.string().describe('Digits with country code, no "+".'),
  lid: z.string().nullable().describe("The account's LID (`…@lid`), when WhatsApp Web knows it."),
  displayName: z.string().nullable(),
  about: z.string().nullable(),
  profilePicUrl: z.string().nullable().describe('null when there is none, or WhatsApp does not give it.'),
});
export type OwnProfile = Omit<z.infer<typeof ownProfileSchema>, 'sessionId'>;
