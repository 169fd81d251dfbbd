/**
 * The one check before a group call (issue 15): the group as whatsapp-web.js reads it
 * (Client.getChatById), refused with a stable code unless this account is in it, or administers it.
 * The library hands on WhatsApp's refusals unnamed, or not at all, so the rights are checked first.
 */
import type wwebjs from 'whatsapp-web.js';
import { GatewayError } from '../../protocol/errors';
import type { ClientLike } from './client';

type GroupMetadata = { announce?: boolean; restrict?: boolean };
export type LibraryGroup = wwebjs.GroupChat & { groupMetadata?: GroupMetadata };

/** The group, once this account is known to be in it: `group_not_found`, `not_group_participant`. */
export async function memberGroup(client: ClientLike, groupId: string): Promise<LibraryGroup> {
  const chat = await client.getChatById(groupId);
  if (!chat?.isGroup) throw new GatewayError('group_not_found', `WhatsApp Web knows no group ${groupId}`);
  const group = chat as LibraryGroup;
  if (!participantOf(group, ownId(client)))
    throw new GatewayError('not_group_participant', `this account is not a participant of ${groupId}`);
  return group;
}

/** The group, once this account is known to administer it: memberGroup's codes, then `not_group_admin`. */
export async function administeredGroup(client: ClientLike, groupId: string, what: string): Promise<LibraryGroup> {
  const group = await memberGroup(client, groupId);
  requireAdmin(group, ownId(client), what);
  return group;
}

export function requireAdmin(group: LibraryGroup, me: string, what: string): void {
  if (!isAdmin(group, me)) throw new GatewayError('not_group_admin', `only an admin of ${group.id._serialized} may ${what}`);
}

export function ownId(client: ClientLike): string {
  const own = client.info?.wid?._serialized;
  if (!own) throw new GatewayError('session_not_connected', 'WhatsApp Web has not said which account this is yet');
  return own;
}

export const participantOf = (group: LibraryGroup, id: string) => group.participants.find((p) => p.id._serialized === id);
export const isAdmin = (group: LibraryGroup, id: string) => participantOf(group, id)?.isAdmin === true;
