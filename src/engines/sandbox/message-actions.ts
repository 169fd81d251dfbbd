/**
 * Sandbox reactions, edits, deletes and forwards: a message exists when the sandbox sent it (its
 * record, which outlives restarts) or delivered it in this run, and until it is deleted. Edits follow
 * WhatsApp's rules: own messages with text or a caption, within 15 minutes. See docs/sandbox.md.
 */
import { GatewayError } from '../../protocol/errors';
import type { MessageType } from '../../protocol/schemas';
import { EDIT_WINDOW_MS, type MessageActions } from '../capabilities/message-actions';
import type { SandboxContext } from './sandbox-session';
import { readSandboxSent, type SandboxSent } from './sent-record';

const EDITABLE_TYPES: ReadonlySet<MessageType> = new Set(['text', 'image', 'video', 'document']);

type Known = { ours: SandboxSent } | { ours: undefined };

export class SandboxMessageActions implements MessageActions {
  private readonly deleted = new Set<string>();

  constructor(private readonly session: SandboxContext) {}

  async react(messageId: string): Promise<void> {
    await this.find(messageId);
  }

  async edit(messageId: string): Promise<void> {
    const { ours } = await this.find(messageId);
    if (!ours) throw new GatewayError('message_not_editable', `message ${messageId} was not sent by this account`);
    if (!EDITABLE_TYPES.has(ours.type)) throw new GatewayError('message_not_editable', `a ${ours.type} message has no text to edit`);
    if (Date.now() - ours.timestamp > EDIT_WINDOW_MS) {
      throw new GatewayError('message_not_editable', `message ${messageId} is older than the 15 minutes WhatsApp allows for edits`);
    }
  }

  async delete(messageId: string, forEveryone: boolean): Promise<void> {
    const { ours } = await this.find(messageId);
    if (forEveryone && !ours) {
      throw new GatewayError(
        'message_not_revocable',
        `message ${messageId} was not sent by this account; it cannot be deleted for everyone`,
      );
    }
    this.deleted.add(messageId);
  }

  async forward(messageId: string): Promise<void> {
    await this.find(messageId);
  }

  async setPresence(): Promise<void> {}

  private async find(messageId: string): Promise<Known> {
    if (!this.deleted.has(messageId)) {
      const ours = (await readSandboxSent(this.session.folder)).find((sent) => sent.id === messageId);
      if (ours || this.session.delivered.has(messageId)) return { ours };
    }
    throw new GatewayError(
      'message_not_found',
      `the sandbox has no message ${messageId} (not sent or delivered by this session, or deleted)`,
    );
  }
}
