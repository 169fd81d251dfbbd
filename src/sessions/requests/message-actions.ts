/**
 * react_to_message, edit_message, delete_message, forward_message and send_presence. The first four
 * act on a message, so they wait in the send queue behind the sends to its chat accepted before them
 * (an edit right after a send of the same message comes after it); they are not kept in the outbox.
 * See docs/decisions.md, "Reactions, edits, deletes, forwards, presence".
 */
import { toChatId } from '../../protocol/chat-id';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { MessageActions } from '../../engines/capabilities/message-actions';
import { chatLanes, messageLanes } from '../lanes';
import type { Place } from '../send-queue';
import type { Session } from '../session';
import type { SessionManager } from '../session-manager';
import { registeredChatId } from './addresses';
import { engineCall } from './engine-call';

export class MessageActionRequests {
  constructor(private readonly manager: SessionManager) {}

  async react({ sessionId, messageId, emoji }: RequestPayload<'react_to_message'>): Promise<RequestResult<'react_to_message'>> {
    await this.inQueue(sessionId, messageId, (actions) => actions.react(messageId, emoji));
    return { sessionId, messageId, emoji };
  }

  async edit({ sessionId, messageId, text }: RequestPayload<'edit_message'>): Promise<RequestResult<'edit_message'>> {
    await this.inQueue(sessionId, messageId, (actions) => actions.edit(messageId, text));
    return { sessionId, messageId, text };
  }

  async delete({ sessionId, messageId, forEveryone }: RequestPayload<'delete_message'>): Promise<RequestResult<'delete_message'>> {
    await this.inQueue(sessionId, messageId, (actions) => actions.delete(messageId, forEveryone));
    return { sessionId, messageId, forEveryone };
  }

  async forward({ sessionId, messageId, to }: RequestPayload<'forward_message'>): Promise<RequestResult<'forward_message'>> {
    const session = this.manager.get(sessionId);
    const place = session.queue.takePlace();
    try {
      const chatId = await registeredChatId(session, session.connectedEngine().contacts, toChatId(to));
      await this.queued(session, place, [...messageLanes(messageId), ...chatLanes(to)], (actions) => actions.forward(messageId, chatId));
      return { sessionId, messageId, to, chatId };
    } finally {
      place.leave();
    }
  }

  async setPresence({ sessionId, available }: RequestPayload<'send_presence'>): Promise<RequestResult<'send_presence'>> {
    const { messageActions } = this.manager.get(sessionId).connectedEngine();
    await engineCall(() => messageActions.setPresence(available));
    return { sessionId, available };
  }

  /** In the lane of the message's chat. */
  private inQueue(sessionId: string, messageId: string, act: (actions: MessageActions) => Promise<void>): Promise<void> {
    const session = this.manager.get(sessionId);
    return this.queued(session, session.queue.takePlace(), messageLanes(messageId), act);
  }

  /**
   * Refused at once when the session is not connected; joins the queue in the place taken on arrival (queue_full
   * when it is full then). The engine is the one connected when its turn comes.
   */
  private async queued(session: Session, place: Place, lanes: string[], act: (actions: MessageActions) => Promise<void>): Promise<void> {
    let job: Promise<void>;
    try {
      session.connectedEngine();
      await place.ready;
      job = session.queue.push(() => engineCall(() => act(session.connectedEngine().messageActions)), { lanes });
    } finally {
      place.leave();
    }
    return job;
  }
}
