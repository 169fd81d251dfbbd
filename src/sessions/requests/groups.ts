/**
 * The group requests (issue 15): one straight path each to the engine's Groups capability. Group
 * changes do not wait in the send queue (docs/decisions.md, "Groups"). Engines speak in WhatsApp ids;
 * answers give numbers, and per-number results name each number as the request gave it.
 */
import type { Groups, ParticipantAction } from '../../engines/capabilities/groups';
import { resolveMedia, type MediaSourceOptions } from '../../media/resolve-media';
import { toGroupId, toPersonId, toPublicAddress } from '../../protocol/chat-id';
import { GatewayError } from '../../protocol/errors';
import type { RequestName, RequestPayload, RequestResult } from '../../protocol/events';
import { participantsChangedPayload } from '../group-events';
import type { SessionManager } from '../session-manager';
import { engineCall } from './engine-call';

type ParticipantsRequest = RequestPayload<'add_participants'>;

export class GroupRequests {
  constructor(
    private readonly manager: SessionManager,
    private readonly media: MediaSourceOptions,
  ) {}

  async create({ sessionId, name, participants }: RequestPayload<'create_group'>): Promise<RequestResult<'create_group'>> {
    const ids = participants.map((participant) => toPersonId(participant, notAPerson));
    const groups = this.groupsOf(sessionId, 'create_group');
    const created = await engineCall(() => groups.create(name, ids));
    const failed = created.failed.map(({ participant, reason }) => ({
      participant: participants[ids.indexOf(participant)] ?? participant,
      reason,
    }));
    return { sessionId, groupId: created.groupId, name, failed };
  }

  async getInfo({ sessionId, groupId }: RequestPayload<'get_group_info'>): Promise<RequestResult<'get_group_info'>> {
    const id = toGroupId(groupId);
    const groups = this.groupsOf(sessionId, 'get_group_info');
    const info = await engineCall(() => groups.getInfo(id));
    return {
      sessionId,
      groupId: info.id,
      name: info.name,
      description: info.description,
      owner: info.owner === null ? null : toPublicAddress(info.owner),
      createdAt: info.createdAt,
      participants: info.participants.map((participant) => ({ ...participant, id: toPublicAddress(participant.id) })),
      settings: info.settings,
      inviteLink: info.inviteLink,
    };
  }

  async update(request: RequestPayload<'update_group'>): Promise<RequestResult<'update_group'>> {
    const { sessionId, groupId, ...changes } = request;
    if (!Object.values(changes).some((value) => value !== undefined)) {
      throw new GatewayError('invalid_payload', 'give at least one of name, description, messagesAdminsOnly, infoAdminsOnly');
    }
    const id = toGroupId(groupId);
    const groups = this.groupsOf(sessionId, 'update_group');
    await engineCall(() => groups.update(id, changes));
    return { sessionId, groupId, changes };
  }

  async setPicture({ sessionId, groupId, media }: RequestPayload<'set_group_picture'>): Promise<RequestResult<'set_group_picture'>> {
    const id = toGroupId(groupId);
    const groups = this.groupsOf(sessionId, 'set_group_picture');
    const picture = await resolveMedia(media, 'image', this.media);
    try {
      await engineCall(() => groups.setPicture(id, picture));
    } finally {
      picture.release?.();
    }
    return { sessionId, groupId };
  }

  add = (request: ParticipantsRequest) => this.changeParticipants(request, 'add');
  remove = (request: ParticipantsRequest) => this.changeParticipants(request, 'remove');
  promote = (request: ParticipantsRequest) => this.changeParticipants(request, 'promote');
  demote = (request: ParticipantsRequest) => this.changeParticipants(request, 'demote');

  async leave({ sessionId, groupId }: RequestPayload<'leave_group'>): Promise<RequestResult<'leave_group'>> {
    const id = toGroupId(groupId);
    const groups = this.groupsOf(sessionId, 'leave_group');
    await engineCall(() => groups.leave(id));
    return { sessionId, groupId };
  }

  async commonGroups({ sessionId, contactId }: RequestPayload<'get_common_groups'>): Promise<RequestResult<'get_common_groups'>> {
    const id = toPersonId(contactId, notAPerson);
    const groups = this.groupsOf(sessionId, 'get_common_groups');
    return { sessionId, contactId, groupIds: await engineCall(() => groups.commonGroups(id)) };
  }

  // ---- sandbox simulation ----

  simulateEvent({
    sessionId,
    groupId,
    action,
    participants,
    by,
  }: RequestPayload<'sandbox_group_event'>): RequestResult<'sandbox_group_event'> {
    const ids = participants.map((participant) => toPersonId(participant, notAPerson));
    const actor = by === undefined ? undefined : toPersonId(by, notAPerson);
    const change = this.simulationOf(sessionId).groupEvent(toGroupId(groupId), action, ids, actor);
    return participantsChangedPayload(sessionId, change);
  }

  simulateAdded({ sessionId, name, by, participants }: RequestPayload<'sandbox_added_to_group'>): RequestResult<'sandbox_added_to_group'> {
    const ids = participants.map((participant) => toPersonId(participant, notAPerson));
    const change = this.simulationOf(sessionId).addedToGroup(name, toPersonId(by, notAPerson), ids);
    return participantsChangedPayload(sessionId, change);
  }

  private async changeParticipants(
    { sessionId, groupId, participants }: ParticipantsRequest,
    action: ParticipantAction,
  ): Promise<RequestResult<'add_participants'>> {
    const id = toGroupId(groupId);
    const ids = participants.map((participant) => toPersonId(participant, notAPerson));
    const groups = this.groupsOf(sessionId, `${action}_participants` as RequestName);
    const outcomes = await engineCall(() => groups.changeParticipants(id, action, ids));
    const results = outcomes.map((outcome, index) => ({ ...outcome, participant: participants[index]! }));
    return { sessionId, groupId, action, results };
  }

  private groupsOf(sessionId: string, request: RequestName): Groups {
    const { groups } = this.manager.get(sessionId).connectedEngine();
    if (!groups) throw new GatewayError('not_supported', `${request} is not supported by this engine`);
    return groups;
  }

  private simulationOf(sessionId: string) {
    const { groupSimulation } = this.manager.get(sessionId).connectedEngine();
    if (!groupSimulation) throw new GatewayError('not_supported', 'sandbox group simulations work only with WA_ENGINE=sandbox');
    return groupSimulation;
  }
}

/** How the groups family has always worded a group given where a person belongs. */
const notAPerson = (address: string) => `${address} is a group, not a person`;
