/**
 * The library's group events (issue 15) handed to the listener. whatsapp-web.js makes them from the
 * page's `gp2` notification messages (Client.attachEventListeners): group_join (subtypes add, invite,
 * linked_group_join), group_leave (remove, leave), group_admin_changed (promote, demote) and group_update
 * (everything else: subject, description, announce, restrict, picture…). A description, announce or
 * restrict notification carries no new value the library exposes, so the group is read again for it;
 * when that read fails the event still goes out, naming the field in `valueNotRead`.
 * Events go out in the order they arrived.
 */
import type wwebjs from 'whatsapp-web.js';
import type { GroupChanges, GroupParticipantsAction, GroupUpdated, ReadAgainField } from '../capabilities/groups';
import type { EngineListener } from '../engine';
import type { ClientLike } from './client';
import type { HandleEvent } from './incoming-events';

const ACTIONS: Record<string, GroupParticipantsAction> = {
  add: 'add',
  invite: 'join',
  linked_group_join: 'join',
  remove: 'remove',
  leave: 'leave',
  promote: 'promote',
  demote: 'demote',
};

type GroupRead = { description?: string; groupMetadata?: { announce?: boolean; restrict?: boolean } };

export class GroupEvents {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly listener: EngineListener,
    private readonly hasEnded: () => boolean,
  ) {}

  listen(client: ClientLike, handle: HandleEvent): void {
    for (const event of ['group_join', 'group_leave', 'group_admin_changed'] as const) {
      client.on(event, (notification) => handle(() => this.onParticipants(notification)));
    }
    client.on('group_update', (notification) => handle(() => this.onUpdate(client, notification)));
  }

  private onParticipants(notification: wwebjs.GroupNotification): void {
    const action = ACTIONS[notification.type];
    if (!action) return;
    const participants = notification.recipientIds.map(String);
    const by = notification.author ?? (action === 'leave' ? (participants[0] ?? null) : null);
    this.inOrder(async () => this.listener.onGroupParticipantsChanged({ groupId: notification.chatId, action, participants, by }));
  }

  private onUpdate(client: ClientLike, notification: wwebjs.GroupNotification): void {
    const by = notification.author ?? null;
    this.inOrder(async () => {
      const update = await updateOf(client, notification);
      if (update) this.listener.onGroupUpdated({ groupId: notification.chatId, ...update, by });
    });
  }

  private inOrder(report: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (!this.hasEnded()) await report();
    });
  }
}

/** The notifications that carry no new value: the field each changes, and how the group read again gives it. */
const READ_AGAIN: Record<string, [ReadAgainField, (group: GroupRead) => GroupChanges]> = {
  description: ['description', (group) => ({ description: group.description ?? '' })],
  announce: ['messagesAdminsOnly', (group) => ({ messagesAdminsOnly: Boolean(group.groupMetadata?.announce) })],
  restrict: ['infoAdminsOnly', (group) => ({ infoAdminsOnly: Boolean(group.groupMetadata?.restrict) })],
};

/**
 * The change a group_update notification is about; undefined for those that are no settings change
 * (e.g. `create`). A group that cannot be read again still gives the event, without the value.
 */
async function updateOf(
  client: ClientLike,
  notification: wwebjs.GroupNotification,
): Promise<Pick<GroupUpdated, 'changes' | 'valueNotRead'> | undefined> {
  const type = String(notification.type);
  if (type === 'subject') return { changes: { name: notification.body } };
  if (type === 'picture') return { changes: { picture: true } };
  const readAgain = READ_AGAIN[type];
  if (!readAgain) return undefined;
  const [field, valueIn] = readAgain;
  const group = (await client.getChatById(notification.chatId).catch(() => undefined)) as GroupRead | undefined;
  return group ? { changes: valueIn(group) } : { changes: {}, valueNotRead: field };
}
