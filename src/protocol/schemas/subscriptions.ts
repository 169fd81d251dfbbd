/** subscribe: whose events a connection receives, and resuming from the event log. */
import { z } from 'zod';
import { sessionIdSchema } from './common';

const seqSchema = z.number().int().min(0);

export const subscribeSchema = z.object({
  sessionIds: z.union([z.literal('*'), z.array(sessionIdSchema).max(1000)]).describe('"*" for every session, or a list of ids.'),
  since: z
    .record(sessionIdSchema, seqSchema)
    .refine((since) => Object.keys(since).length <= 1000, 'at most 1000 sessions')
    .optional()
    .describe(
      "Resume: per session, the last `seq` you handled. The events after it that this connection has not received are sent first, in order (marked `replayed`), then live ones, with no gap and no duplicate. Sessions not listed start live. The same map in the handshake's `auth.since` resumes before any live event arrives.",
    ),
});

const replayReportSchema = z.object({
  events: z.number().int().describe('Events sent again from the log.'),
  lastSeq: z
    .number()
    .int()
    .describe('You now have every event of the session up to this seq (your `since` when nothing was missing); live events follow it.'),
  truncated: z
    .boolean()
    .describe(
      'True when events after your `since` are no longer kept (older than EVENT_LOG_RETENTION_MS, or more than EVENT_LOG_MAX_EVENTS), or the log does not know your seq (its store was reset): the replay starts at the oldest event kept.',
    ),
});

export const EVENT_FILTER_DESCRIPTION =
  'Only these server events reach this connection (for example leave out `message_ack`); omitted = every event. An event left out is never sent to the connection, neither from a session nor as the answer event of a request (acks still answer), and a resume with `since` leaves it out too: the `seq`s you see then have gaps. Replaced by the next subscribe, like `sessionIds`.';

export const subscribedSchema = z.object({
  sessionIds: subscribeSchema.shape.sessionIds,
  events: z.array(z.string()).optional().describe('The event filter now in force, when the subscribe set one.'),
  replayed: z.record(z.string(), replayReportSchema).optional().describe('Per session resumed with `since`: what was sent again.'),
});
