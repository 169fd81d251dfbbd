/**
 * Groups (issue 15) through whatsapp-web.js's own calls: Client.createGroup/getChatById/getCommonGroups
 * and the GroupChat methods. The library answers some refusals with `false`, a string or nothing at all
 * (remove/promote/demote always say "200"), so the engine checks the account's rights first (stable
 * codes) and reads the group again after a participant change to answer per number what really happened.
 */
import type wwebjs from 'whatsapp-web.js';
import { GatewayError } from '../../protocol/errors';
import type {
  CreatedGroup,
  GroupInfo,
  GroupUpdate,
  Groups,
  ParticipantAction,
  ParticipantFailure,
  ParticipantOutcome,
} from '../capabilities/groups';
import type { MediaFile } from '../capabilities/messaging';
import type { ClientCalls } from './client-calls';
import { administeredGroup, isAdmin, memberGroup, ownId, participantOf, requireAdmin, type LibraryGroup } from './group-access';
import { toMessageMedia } from './outgoing-message';

/** WhatsApp's per-participant answer codes, as the library lists them (GroupChat.addParticipants). */
const ADD_FAILURES: Record<number, ParticipantFailure> = {
  403: 'invite_required',
  404: 'not_on_whatsapp',
  408: 'recently_left',
  409: 'already_participant',
  419: 'group_full',
};

export class WwebjsGroups implements Groups {
  constructor(private readonly calls: ClientCalls) {}

  create(name: string, participants: string[]): Promise<CreatedGroup> {
    return this.calls.run(
      'group creation',
      async (client) => {
        // No private invites on the side: a number that needs one is answered invite_required.
        const result = await client.createGroup(name, participants, { autoSendInviteV4: false });
        if (typeof result === 'string') throw new GatewayError('engine_error', `WhatsApp Web did not create the group: ${result}`);
        const failed = Object.entries(result.participants)
          .filter(([, outcome]) => outcome.statusCode !== 200)
          .map(([participant, outcome]) => ({ participant, reason: ADD_FAILURES[outcome.statusCode] ?? ('not_allowed' as const) }));
        return { groupId: result.gid._serialized, failed };
      },
      this.calls.limits.sendMs,
    );
  }

  getInfo(groupId: string): Promise<GroupInfo> {
    return this.calls.run('group info', async (client) => {
      const group = await memberGroup(client, groupId);
      const admin = isAdmin(group, ownId(client));
      const code = admin ? await group.getInviteCode() : undefined;
      return {
        id: group.id._serialized,
        name: group.name,
        description: group.description || null,
        owner: group.owner?._serialized ?? null,
        createdAt: group.createdAt.getTime(),
        participants: group.participants.map((p) => ({ id: p.id._serialized, isAdmin: p.isAdmin, isSuperAdmin: p.isSuperAdmin })),
        settings: settingsOf(group),
        inviteLink: code ? `https://chat.whatsapp.com/${code}` : null,
      };
    });
  }

  update(groupId: string, update: GroupUpdate): Promise<void> {
    return this.calls.run(
      'group update',
      async (client) => {
        const group = await memberGroup(client, groupId);
        const me = ownId(client);
        if (update.messagesAdminsOnly !== undefined || update.infoAdminsOnly !== undefined) requireAdmin(group, me, 'change its settings');
        if (update.name !== undefined || update.description !== undefined) requireInfoEditor(group, me);
        if (update.name !== undefined) accepted(await group.setSubject(update.name), 'the new name');
        if (update.description !== undefined) accepted(await group.setDescription(update.description), 'the new description');
        if (update.messagesAdminsOnly !== undefined) accepted(await group.setMessagesAdminsOnly(update.messagesAdminsOnly), 'the setting');
        if (update.infoAdminsOnly !== undefined) accepted(await group.setInfoAdminsOnly(update.infoAdminsOnly), 'the setting');
      },
      this.calls.limits.sendMs,
    );
  }

  setPicture(groupId: string, media: MediaFile): Promise<void> {
    return this.calls.run(
      'group picture',
      async (client) => {
        const group = await memberGroup(client, groupId);
        requireInfoEditor(group, ownId(client));
        accepted(await group.setPicture(await toMessageMedia(media)), 'the picture');
      },
      this.calls.limits.sendMs,
    );
  }

  changeParticipants(groupId: string, action: ParticipantAction, participants: string[]): Promise<ParticipantOutcome[]> {
    return this.calls.run(
      `participants ${action}`,
      async (client) => {
        const group = await administeredGroup(client, groupId, `${action} participants`);
        if (action === 'add') return add(group, participants);
        const inGroup = participants.filter((id) => participantOf(group, id));
        if (inGroup.length) await CHANGES[action](group, inGroup);
        const after = await memberGroup(client, groupId);
        return participants.map((participant) =>
          outcomeOf(participant, action, participantOf(group, participant), participantOf(after, participant)),
        );
      },
      this.calls.limits.sendMs,
    );
  }

  leave(groupId: string): Promise<void> {
    return this.calls.run('leaving a group', async (client) => {
      const group = await memberGroup(client, groupId);
      await group.leave();
    });
  }

  commonGroups(contactId: string): Promise<string[]> {
    return this.calls.run('common groups', async (client) => (await client.getCommonGroups(contactId)).map((id) => id._serialized));
  }
}

const CHANGES: Record<Exclude<ParticipantAction, 'add'>, (group: LibraryGroup, ids: string[]) => Promise<unknown>> = {
  remove: (group, ids) => group.removeParticipants(ids),
  promote: (group, ids) => group.promoteParticipants(ids),
  demote: (group, ids) => group.demoteParticipants(ids),
};

async function add(group: LibraryGroup, participants: string[]): Promise<ParticipantOutcome[]> {
  const result = await group.addParticipants(participants, { autoSendInviteV4: false });
  if (typeof result === 'string') throw new GatewayError('engine_error', `WhatsApp Web did not add participants: ${result}`);
  // The typings nest the result once too often: at run time it is { [participant]: { code, message, isInviteV4Sent } }.
  const codes = result as unknown as Record<string, { code?: number } | undefined>;
  return participants.map((participant): ParticipantOutcome => {
    const code = codes[participant]?.code;
    if (code === 200) return { participant, ok: true };
    return { participant, ok: false, reason: (code !== undefined && ADD_FAILURES[code]) || 'not_allowed' };
  });
}

type Participant = wwebjs.GroupParticipant | undefined;

/** What WhatsApp did to one number, from the group before and after. */
function outcomeOf(participant: string, action: ParticipantAction, before: Participant, after: Participant): ParticipantOutcome {
  if (!before) return { participant, ok: false, reason: 'not_participant' };
  const done = action === 'remove' ? !after : after?.isAdmin === (action === 'promote');
  return done ? { participant, ok: true } : { participant, ok: false, reason: 'not_allowed' };
}

const settingsOf = (group: LibraryGroup) => ({
  messagesAdminsOnly: Boolean(group.groupMetadata?.announce),
  infoAdminsOnly: Boolean(group.groupMetadata?.restrict),
});

function requireInfoEditor(group: LibraryGroup, me: string): void {
  if (settingsOf(group).infoAdminsOnly) requireAdmin(group, me, "edit this group's info");
}

/** The library answers false when WhatsApp refused a change it was allowed to ask for. */
function accepted(ok: boolean, what: string): void {
  if (!ok) throw new GatewayError('engine_error', `WhatsApp did not take ${what}`);
}
