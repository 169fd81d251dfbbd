/**
 * Catch-up after downtime (issue 15): what the account's chats hold, read after a connect, so the
 * messages that arrived while nothing ran for the session reach clients (backfilled). The session
 * layer decides which of them were delivered before (src/sessions/catch-up.ts).
 */
import type { IncomingMessage } from '../../protocol/schemas';

export interface CatchUpQuery {
  /** Milliseconds since the epoch: messages at or after this time. */
  since: number;
  /** At most this many, the newest. */
  limit: number;
}

export interface CatchUpReader {
  /** Messages from others (never the account's own) in the chats at or after `since`, the newest `limit`, oldest first. */
  recentIncoming(query: CatchUpQuery): Promise<IncomingMessage[]>;
}

/** Messages that arrive for an account while the gateway does not see them: only engines that simulate WhatsApp (the sandbox). */
export interface OfflineArrivals {
  /** A text from `fromChatId`, `ageMs` ago, put in the account's chats without a live event. */
  queue(sessionId: string, fromChatId: string, text: string, ageMs: number): Promise<IncomingMessage>;
}
