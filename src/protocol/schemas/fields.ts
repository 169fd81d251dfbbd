/** Building blocks the payloads share; not exported from the protocol (index.ts re-exports the families only). */
import { z } from 'zod';

/** Numbers and chat ids are checked for format later, so a bad one answers `invalid_number`. */
export const chatAddress = z
  .string()
  .min(1)
  .max(128)
  .describe('Phone number with country code (6282284316465, +62 822-8431-6465), a person id (…@c.us) or a group id (…@g.us).');

/** A message id as message_received (`id`) and message_sent (`messageId`) give it. */
export const messageIdSchema = z
  .string()
  .max(512)
  .regex(/^(true|false)_[^_\s]+_\S+$/, 'must be a message id as message_received.id or message_sent.messageId give it');

/** What the gateway keeps of an event in its log: docs/decisions.md, "Durable delivery". */
export const loggedEvent = {
  seq: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      "This session's event number (1, 2, 3, …, never reused): resume after it with `since`. Absent when the event could not be written to the log.",
    ),
  replayed: z.literal(true).optional().describe('Sent again from the event log on a resume with `since`, not live.'),
};

export const phoneNumber = z.string().describe('Digits with country code, no "+".');
