/**
 * Messages a page script read (chat-scripts.ts), made into what a live `message` is: a library
 * Message of each model, as the library's own Chat.fetchMessages makes them (its client serves the
 * Message's methods only), then mapped as received messages are, LIDs looked up the same way.
 */
import wwebjs from 'whatsapp-web.js';
import type { IncomingMessage } from '../../protocol/schemas';
import type { ClientCalls } from './client-calls';
import type { LidDirectory } from './lid-directory';
import { lidsOf, toIncomingMessage, type LibraryMessage } from './message-mapper';

/** The library's Message class: exported at run time, declared only as an interface in its typings. */
const { Message } = wwebjs as unknown as { Message: new (client: unknown, data: unknown) => wwebjs.Message };

/** `models`: messages serialized by the library's getMessageModel. */
export function libraryMessages(calls: ClientCalls, what: string, models: Array<Record<string, unknown>>): Promise<wwebjs.Message[]> {
  return calls.run(what, async (client) => models.map((model) => new Message(client, model)));
}

export async function toIncomingMessages(
  messages: LibraryMessage[],
  lids: LidDirectory,
  ownIds: () => string[],
): Promise<IncomingMessage[]> {
  const phones = await lids.phonesOf(messages.flatMap(lidsOf));
  return messages.map((message) => toIncomingMessage(message, phones, ownIds()));
}
