/**
 * Sandbox groups (issue 15), on the session's group state (group-state.ts): WhatsApp's rules as the
 * double applies them, deterministic. Every change, the account's own included, is reported as the
 * real engine reports it: one group_participants_changed per participant change, one group_updated per
 * changed field. See docs/sandbox.md.
 */
import { GatewayError } from '../../protocol/errors';
import type { MediaFile } from '../capabilities/messaging';
import {
  GROUP_SIZE_LIMIT,
  type CreatedGroup,
  type GroupChanges,
  type GroupInfo,
  type GroupParticipantsAction,
  type GroupParticipantsChange,
  type GroupSimulation,
  type GroupUpdate,
  type Groups,
  type ParticipantAction,
  type ParticipantFailure,
  type ParticipantOutcome,
} from '../capabilities/groups';
import {
  groupInfoOf,
  isAdmin,
  isParticipant,
  participantOf,
  plainParticipant,
  requireAdmin,
  requireInfoEditor,
  requireParticipant,
  type SandboxGroup,
} from './group-state';
import type { SandboxContext } from './sandbox-session';
import { isSandboxRegistered } from './sandbox-world';

export class SandboxGroups implements Groups, GroupSimulation {
  constructor(private readonly session: SandboxContext) {}

  private get me(): string {
    return `${this.session.account.phoneNumber}@c.us`;
  }

  async create(name: string, participants: string[]): Promise<CreatedGroup> {
    const others = [...new Set(participants)].filter((id) => id !== this.me);
    const failed = others
      .filter((id) => !isSandboxRegistered(id))
      .map((participant) => ({ participant, reason: 'not_on_whatsapp' as const }));
    const group = this.session.groupState.create(
      name,
      this.me,
      others.filter((id) => isSandboxRegistered(id)),
    );
    return { groupId: group.id, failed };
  }

  async getInfo(groupId: string): Promise<GroupInfo> {
    const group = this.session.groupState.require(groupId);
    requireParticipant(group, this.me);
    return groupInfoOf(group, this.me);
  }

  async update(groupId: string, update: GroupUpdate): Promise<void> {
    const group = this.session.groupState.require(groupId);
    if (update.messagesAdminsOnly !== undefined || update.infoAdminsOnly !== undefined) requireAdmin(group, this.me, 'change its settings');
    if (update.name !== undefined || update.description !== undefined) requireInfoEditor(group, this.me);
    if (update.name !== undefined) this.changeInfo(group, { name: update.name }, () => (group.name = update.name!));
    if (update.description !== undefined)
      this.changeInfo(group, { description: update.description }, () => (group.description = update.description!));
    for (const setting of ['messagesAdminsOnly', 'infoAdminsOnly'] as const) {
      const value = update[setting];
      if (value === undefined || group.settings[setting] === value) continue;
      this.changeInfo(group, { [setting]: value }, () => (group.settings[setting] = value));
    }
  }

  async setPicture(groupId: string, media: MediaFile): Promise<void> {
    const group = this.session.groupState.require(groupId);
    requireInfoEditor(group, this.me);
    await media.load(); // read like a send reads its file, so a file that went away fails here too
    this.changeInfo(group, { picture: true }, () => (group.pictureVersion += 1));
  }

  async changeParticipants(groupId: string, action: ParticipantAction, participants: string[]): Promise<ParticipantOutcome[]> {
    const group = this.session.groupState.require(groupId);
    requireAdmin(group, this.me, `${action} participants`);
    const changed: string[] = [];
    const outcomes = participants.map((participant): ParticipantOutcome => {
      const reason = this.refusal(group, action, participant);
      if (reason) return { participant, ok: false, reason };
      if (this.applies(group, action, participant)) {
        applyChange(group, action, participant);
        changed.push(participant);
      }
      return { participant, ok: true };
    });
    this.report(group, action, changed, this.me);
    return outcomes;
  }

  async leave(groupId: string): Promise<void> {
    const group = this.session.groupState.require(groupId);
    requireParticipant(group, this.me);
    applyChange(group, 'leave', this.me);
    this.report(group, 'leave', [this.me], this.me);
  }

  async commonGroups(contactId: string): Promise<string[]> {
    return this.session.groupState
      .all()
      .filter((group) => isParticipant(group, this.me) && isParticipant(group, contactId))
      .map((group) => group.id);
  }

  // ---- simulation: the other members ----

  groupEvent(groupId: string, action: GroupParticipantsAction, participants: string[], by?: string): GroupParticipantsChange {
    const group = this.session.groupState.require(groupId);
    const author = action === 'join' || action === 'leave' ? null : by;
    if (author === undefined) throw invalid(`${action} needs \`by\`: the admin who does it`);
    if (author !== null && !isAdmin(group, author)) throw invalid(`${author.split('@')[0]} is not an admin of ${groupId}`);
    for (const participant of participants) {
      const reason = this.refusal(group, action, participant);
      if (reason === 'group_full') throw new GatewayError('group_full', `${groupId} has ${GROUP_SIZE_LIMIT} participants`);
      if (reason || !this.applies(group, action, participant))
        throw invalid(`${participant.split('@')[0]} cannot ${action} (${reason ?? 'nothing to change'})`);
    }
    for (const participant of participants) applyChange(group, action, participant);
    return this.report(group, action, participants, author ?? (action === 'leave' ? participants[0]! : null));
  }

  addedToGroup(name: string, by: string, participants: string[]): GroupParticipantsChange {
    const others = [...new Set([this.me, ...participants])].filter((id) => id !== by);
    const group = this.session.groupState.create(name, by, others);
    return this.report(group, 'add', [this.me], by);
  }

  /** Why WhatsApp would not make this change; undefined when it would. */
  private refusal(group: SandboxGroup, action: GroupParticipantsAction, participant: string): ParticipantFailure | undefined {
    const member = participantOf(group, participant);
    if (action === 'add' || action === 'join') {
      if (!isSandboxRegistered(participant)) return 'not_on_whatsapp';
      if (member) return 'already_participant';
      return group.participants.length >= GROUP_SIZE_LIMIT ? 'group_full' : undefined;
    }
    if (!member) return 'not_participant';
    if (member.isSuperAdmin && (action === 'remove' || action === 'demote')) return 'not_allowed'; // nobody removes or demotes the creator
    return undefined;
  }

  /** False when the participant already is what the action makes them (a promote of an admin). */
  private applies(group: SandboxGroup, action: GroupParticipantsAction, participant: string): boolean {
    if (action === 'promote') return !isAdmin(group, participant);
    if (action === 'demote') return isAdmin(group, participant);
    return true;
  }

  private changeInfo(group: SandboxGroup, changes: GroupChanges, apply: () => void): void {
    apply();
    this.session.listener.onGroupUpdated({ groupId: group.id, changes, by: this.me });
  }

  private report(group: SandboxGroup, action: GroupParticipantsAction, participants: string[], by: string | null): GroupParticipantsChange {
    const change = { groupId: group.id, action, participants, by };
    if (participants.length) this.session.listener.onGroupParticipantsChanged(change);
    return change;
  }
}

function applyChange(group: SandboxGroup, action: GroupParticipantsAction, participant: string): void {
  if (action === 'add' || action === 'join') group.participants.push(plainParticipant(participant));
  else if (action === 'remove' || action === 'leave') {
    group.participants = group.participants.filter((member) => member.id !== participant);
    keepAnAdmin(group);
  } else participantOf(group, participant)!.isAdmin = action === 'promote';
}

/** WhatsApp makes someone admin when the last admin leaves (its FAQ): the sandbox picks the longest-standing participant. */
function keepAnAdmin(group: SandboxGroup): void {
  if (group.participants.length && !group.participants.some((member) => member.isAdmin)) group.participants[0]!.isAdmin = true;
}

const invalid = (message: string) => new GatewayError('invalid_payload', message);
