/**
 * What an engine reports about messages beyond their arrival (issue 14, receiving): edits,
 * deletions, reactions, poll votes and calls, in the protocol's words; and declining a call.
 */
import type { z } from 'zod';
import type {
  callReceivedSchema,
  messageEditedSchema,
  messageReactionSchema,
  messageRevokedSchema,
  pollVoteSchema,
} from '../../protocol/schemas';

/** A protocol event's payload as an engine knows it: without the session and the event log's fields. */
type Reported<S extends z.ZodType> = Omit<z.infer<S>, 'sessionId' | 'seq' | 'replayed'>;

export type MessageEdit = Reported<typeof messageEditedSchema>;
export type MessageRevoke = Reported<typeof messageRevokedSchema>;
export type MessageReaction = Reported<typeof messageReactionSchema>;
export type PollVote = Reported<typeof pollVoteSchema>;
export type IncomingCall = Reported<typeof callReceivedSchema>;

export interface Calls {
  /** Declines a call the listener was told about (by its callId) while it still rings. */
  reject(callId: string): Promise<void>;
}
