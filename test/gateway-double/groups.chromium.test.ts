/**
 * Groups through the Socket.IO API with the real engine: whatsapp-web.js in headless Chromium against
 * the WhatsApp Web double's group model (double/README.md, "Groups"). What others do is driven through
 * the double's harness (harness-groups.ts); the events come from the library's own gp2 handling.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOUBLE_PROFILE_NAMES,
  groupAction,
  groupChange,
  groupState,
  makeGroup,
  pictureUploads,
  type DoubleProfile,
} from '../../double/harness';
import {
  hasBrowser,
  startAndPairKeepingPhone,
  startDoubleGateway,
  type DoubleGateway,
  type EventLog,
  type Phone,
} from '../../double/gateway';
import type { GatewayClient } from '../../src/client/gateway-client';
import { makeTempRoot } from '../support/sandbox-gateway';
import { closeAndCheckClean, PNG_BASE64 } from './support';

const SESSION = 'groups';
const ME = '15550001234'; // the double's account
const ANA = '6281111111111';
const BEN = '6282222222222';
const NOBODY = '6283333333000';

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'groups with the real engine on the %s double',
  { timeout: 90_000 },
  (profile: DoubleProfile) => {
    let root: string;
    let gw: DoubleGateway;
    let log: EventLog;
    let api: GatewayClient;
    let device: Phone;

    beforeAll(async () => {
      root = await makeTempRoot();
      await fs.writeFile(path.join(root, 'media', 'pixel.png'), Buffer.from(PNG_BASE64, 'base64'));
      gw = await startDoubleGateway(root, {}, { profile });
      log = await gw.client();
      api = (await gw.client()).client;
      ({ device } = await startAndPairKeepingPhone(gw, log, SESSION));
    });

    afterAll(async () => {
      await device?.disconnect();
      await closeAndCheckClean(gw, root);
    });

    it('creates a group, reads it, changes it and its participants, with the events the page reports', async () => {
      const created = await api.request('create_group', { sessionId: SESSION, name: 'Team', participants: [ANA, NOBODY] });
      expect(created.failed).toEqual([{ participant: NOBODY, reason: 'not_on_whatsapp' }]);
      const { groupId } = created;
      const info = await api.request('get_group_info', { sessionId: SESSION, groupId });
      expect(info).toMatchObject({
        name: 'Team',
        owner: ME,
        participants: [
          { id: ME, isAdmin: true, isSuperAdmin: true },
          { id: ANA, isAdmin: false, isSuperAdmin: false },
        ],
        settings: { messagesAdminsOnly: false, infoAdminsOnly: false },
      });
      expect(info.inviteLink).toBe(`https://chat.whatsapp.com/${(await groupState(device.page, groupId))!.inviteCode}`);

      let after = log.mark();
      await api.request('update_group', { sessionId: SESSION, groupId, name: 'Team 2', description: 'About', messagesAdminsOnly: true });
      await expect(log.next('group_updated', (e) => 'name' in e.changes, { after })).resolves.toMatchObject({
        changes: { name: 'Team 2' },
        by: ME,
      });
      await expect(log.next('group_updated', (e) => 'description' in e.changes, { after })).resolves.toMatchObject({
        changes: { description: 'About' },
      });
      await expect(log.next('group_updated', (e) => 'messagesAdminsOnly' in e.changes, { after })).resolves.toMatchObject({
        changes: { messagesAdminsOnly: true },
      });
      await api.request('set_group_picture', { sessionId: SESSION, groupId, media: 'pixel.png' });
      await expect(log.next('group_updated', (e) => e.changes.picture === true, { after })).resolves.toMatchObject({ groupId });
      expect((await pictureUploads(device.page)).map((upload) => upload.chatId)).toEqual([groupId]);

      after = log.mark();
      const added = await api.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN, ANA] });
      expect(added.results).toEqual([
        { participant: BEN, ok: true },
        { participant: ANA, ok: false, reason: 'already_participant' },
      ]);
      await expect(log.next('group_participants_changed', (e) => e.action === 'add', { after })).resolves.toMatchObject({
        groupId,
        participants: [BEN],
        by: ME,
      });
      const promoted = await api.request('promote_participants', { sessionId: SESSION, groupId, participants: [BEN, '6284444444444'] });
      expect(promoted.results).toEqual([
        { participant: BEN, ok: true },
        { participant: '6284444444444', ok: false, reason: 'not_participant' },
      ]);
      const demoted = await api.request('demote_participants', { sessionId: SESSION, groupId, participants: [ME] });
      expect(demoted.results).toEqual([{ participant: ME, ok: false, reason: 'not_allowed' }]);

      after = log.mark();
      await groupAction(device.page, { groupId, action: 'leave', participants: [`${ANA}@c.us`] });
      await expect(log.next('group_participants_changed', (e) => e.action === 'leave', { after })).resolves.toMatchObject({
        participants: [ANA],
        by: ANA,
      });
      await expect(api.request('get_common_groups', { sessionId: SESSION, contactId: BEN })).resolves.toMatchObject({
        groupIds: [groupId],
      });
      await api.request('leave_group', { sessionId: SESSION, groupId });
      await expect(api.request('get_group_info', { sessionId: SESSION, groupId })).rejects.toMatchObject({ code: 'not_group_participant' });
    });

    it('refuses with not_group_admin in a group someone else runs, and group_not_found for an unknown one', async () => {
      const groupId = await makeGroup(device.page, { subject: 'Theirs', owner: `${ANA}@c.us`, participants: [`${ME}@c.us`] });
      await expect(api.request('get_group_info', { sessionId: SESSION, groupId })).resolves.toMatchObject({ inviteLink: null, owner: ANA });
      await expect(api.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN] })).rejects.toMatchObject({
        code: 'not_group_admin',
      });
      await expect(api.request('update_group', { sessionId: SESSION, groupId, infoAdminsOnly: true })).rejects.toMatchObject({
        code: 'not_group_admin',
      });
      await expect(api.request('get_group_info', { sessionId: SESSION, groupId: '120363999999999999@g.us' })).rejects.toMatchObject({
        code: 'group_not_found',
      });
    });

    it('reports what others do, and answers group_full at 1024 participants', async () => {
      const others = Array.from({ length: 1022 }, (_, i) => `628220${String(i).padStart(5, '0')}1@c.us`);
      const groupId = await makeGroup(device.page, { subject: 'Big', owner: `${ME}@c.us`, participants: [`${ANA}@c.us`, ...others] });
      const after = log.mark();
      await groupChange(device.page, { groupId, by: `${ANA}@c.us`, subject: 'Renamed' });
      await expect(log.next('group_updated', (e) => e.groupId === groupId, { after })).resolves.toMatchObject({
        changes: { name: 'Renamed' },
        by: ANA,
      });
      const added = await api.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN] });
      expect(added.results).toEqual([{ participant: BEN, ok: false, reason: 'group_full' }]);
      await groupAction(device.page, { groupId, action: 'leave', participants: [`${ANA}@c.us`] });
      await groupAction(device.page, { groupId, action: 'join', participants: [`${BEN}@c.us`] });
      const joined = log.next('group_participants_changed', (e) => e.groupId === groupId && e.action === 'join', { after });
      await expect(joined).resolves.toMatchObject({ participants: [BEN], by: null });
    });
  },
);
