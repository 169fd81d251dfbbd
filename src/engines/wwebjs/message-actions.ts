/** React, edit, delete, forward (page scripts: message-action-scripts.ts) and presence (the library's own calls). */
import { GatewayError } from '../../protocol/errors';
import type { MessageActions } from '../capabilities/message-actions';
import type { ClientCalls } from './client-calls';
import { DELETE_MESSAGE, EDIT_MESSAGE, FORWARD_MESSAGE, REACT_TO_MESSAGE, type ActionOutcome } from './message-action-scripts';

export class WwebjsMessageActions implements MessageActions {
  constructor(private readonly calls: ClientCalls) {}

  async react(messageId: string, emoji: string): Promise<void> {
    settle(messageId, await this.calls.script('reaction', REACT_TO_MESSAGE, { messageId, emoji }));
  }

  async edit(messageId: string, text: string): Promise<void> {
    settle(messageId, await this.calls.script('edit', EDIT_MESSAGE, { messageId, text }, this.calls.limits.sendMs));
  }

  async delete(messageId: string, forEveryone: boolean): Promise<void> {
    settle(messageId, await this.calls.script('delete', DELETE_MESSAGE, { messageId, forEveryone }));
  }

  async forward(messageId: string, chatId: string): Promise<void> {
    settle(messageId, await this.calls.script('forward', FORWARD_MESSAGE, { messageId, chatId }, this.calls.limits.sendMs));
  }

  async setPresence(available: boolean): Promise<void> {
    await this.calls.run('presence', (client) => (available ? client.sendPresenceAvailable() : client.sendPresenceUnavailable()));
  }
}

const REFUSALS: Record<Exclude<ActionOutcome, 'done'>, (messageId: string) => GatewayError> = {
  not_found: (id) => new GatewayError('message_not_found', `WhatsApp Web has no message ${id} (never seen by this session, or deleted)`),
  not_ours: (id) =>
    new GatewayError('message_not_editable', `message ${id} was not sent by this account; only your own messages can be edited`),
  not_editable: (id) =>
    new GatewayError('message_not_editable', `message ${id} cannot be edited any more (older than 15 minutes) or has no text to edit`),
  not_revocable: (id) =>
    new GatewayError('message_not_revocable', `message ${id} cannot be deleted for everyone by this account (not yours, or too old)`),
};

function settle(messageId: string, outcome: ActionOutcome): void {
  if (outcome !== 'done') throw REFUSALS[outcome](messageId);
}
