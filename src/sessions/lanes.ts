/**
 * The lanes of the send queue (send-queue.ts): order is kept per chat, so a job's lanes are the chats
 * it touches, as addressed in the request (a number and its LID are two addresses, so two lanes). An
 * address that cannot be read gives no lane: the job then keeps its place against every other.
 */
import { chatIdOfMessage, toChatId } from '../protocol/chat-id';

export function chatLanes(address: string): string[] {
  return laneOf(() => toChatId(address));
}

/** The lane of the chat a serialized message id (`<fromMe>_<chat>_<id>`) belongs to. */
export function messageLanes(messageId: string): string[] {
  return laneOf(() => chatIdOfMessage(messageId));
}

function laneOf(read: () => string): string[] {
  try {
    return [read()];
  } catch {
    return [];
  }
}
