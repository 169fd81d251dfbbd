/** The account's own profile (issue 15). */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const accountEvents = {
  display_name_set: s.displayNameSetSchema,
  about_set: s.aboutSetSchema,
  profile_picture_set: s.profilePictureSetSchema,
  profile_picture_deleted: s.profilePictureDeletedSchema,
  own_profile: s.ownProfileSchema,
} as const;

export const accountEventNotes = {
  display_name_set: { summary: 'Answer to set_display_name: WhatsApp took the new name.', delivery: 'the requesting connection' },
  about_set: { summary: 'Answer to set_about: WhatsApp took the new about text.', delivery: 'the requesting connection' },
  profile_picture_set: { summary: 'Answer to set_profile_picture: WhatsApp took the picture.', delivery: 'the requesting connection' },
  profile_picture_deleted: { summary: 'Answer to delete_profile_picture.', delivery: 'the requesting connection' },
  own_profile: {
    summary: "Answer to get_own_profile: this account's number, LID, name, about text and picture.",
    delivery: 'the requesting connection',
  },
} as const satisfies ServerEventNotes<typeof accountEvents>;

export const accountRequests = {
  set_display_name: {
    payload: s.displayNameSchema,
    success: 'display_name_set',
    error: 'session_error',
    summary: "Change this account's display name (push name).",
  },
  set_about: {
    payload: s.aboutSchema,
    success: 'about_set',
    error: 'session_error',
    summary: "Change this account's about text.",
  },
  set_profile_picture: {
    payload: s.profilePictureSchema,
    success: 'profile_picture_set',
    error: 'session_error',
    summary: "Change this account's profile picture, from an image with the media rules of a send.",
  },
  delete_profile_picture: {
    payload: s.sessionRefSchema,
    success: 'profile_picture_deleted',
    error: 'session_error',
    summary: "Remove this account's profile picture.",
  },
  get_own_profile: {
    payload: s.sessionRefSchema,
    success: 'own_profile',
    error: 'session_error',
    summary: "This account's number, LID, display name, about text and profile picture.",
  },
} as const satisfies RequestSpecs;
