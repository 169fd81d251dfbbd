/**
 * Groups through the Socket.IO API with the real engine: whatsapp-web.js in headless Chromium against
 * the WhatsApp Web double's group model (double/README.md, "Groups"). What others do is driven through
 * the double's harness (harness-groups.ts); the events come from the library's own gp2 handling.
 */
import { describe, expect, it } from 'vitest';
import {
  DOUBLE_PROFILE_NAMES,
  groupAction,
  groupChange,
  groupState,
  makeGroup,
  pictureUploads,
  type DoubleProfile,
} from '../../double/harness';
import { hasBrowser } from '../../double/gateway';
import { PNG_BASE64, pairedOnDouble } from './support';

const SESSION = 'groups';
const ME = '15550001234'; // the double's account
const ANA = '6281111111111';
const BEN = '6282222222222';
const NOBODY = '6283333333000';

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'groups with the real engine on the %s double',
  { timeout: 90_000 },
  (profile: DoubleProfile) => {
    const paired = pairedOnDouble(SESSION, profile, { mediaFiles: { 'pixel.png': Buffer.from(PNG_BASE64, 'base64') } });

    it('creates a group, reads it, changes it and its participants, with the events the page reports', async () => {
      const created = await paired.api.request('create_group', { sessionId: SESSION, name: 'Team', participants: [ANA, NOBODY] });
      expect(created.failed).toEqual([{ participant: NOBODY, reason: 'not_on_whatsapp' }]);
      const { groupId } = created;
      const info = await paired.api.request('get_group_info', { sessionId: SESSION, groupId });
      expect(info).toMatchObject({
        name: 'Team',
        owner: ME,
        participants: [
          { id: ME, isAdmin: true, isSuperAdmin: true },
          { id: ANA, isAdmin: false, isSuperAdmin: false },
        ],
        settings: { messagesAdminsOnly: false, infoAdminsOnly: false },
      });
      expect(info.inviteLink).toBe(`https://chat.whatsapp.com/${(await groupState(paired.device.page, groupId))!.inviteCode}`);

      let after = paired.log.mark();
      await paired.api.request('update_group', {
        sessionId: SESSION,
        groupId,
        name: 'Team 2',
        description: 'About',
        messagesAdminsOnly: true,
      });
      await expect(paired.log.next('group_updated', (e) => 'name' in e.changes, { after })).resolves.toMatchObject({
        changes: { name: 'Team 2' },
        by: ME,
      });
      await expect(paired.log.next('group_updated', (e) => 'description' in e.changes, { after })).resolves.toMatchObject({
        changes: { description: 'About' },
      });
      await expect(paired.log.next('group_updated', (e) => 'messagesAdminsOnly' in e.changes, { after })).resolves.toMatchObject({
        changes: { messagesAdminsOnly: true },
      });
      await paired.api.request('set_group_picture', { sessionId: SESSION, groupId, media: 'pixel.png' });
      await expect(paired.log.next('group_updated', (e) => e.changes.picture === true, { after })).resolves.toMatchObject({ groupId });
      expect((await pictureUploads(paired.device.page)).map((upload) => upload.chatId)).toEqual([groupId]);

      after = paired.log.mark();
      const added = await paired.api.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN, ANA] });
      expect(added.results).toEqual([
        { participant: BEN, ok: true },
        { participant: ANA, ok: false, reason: 'already_participant' },
      ]);
      await expect(paired.log.next('group_participants_changed', (e) => e.action === 'add', { after })).resolves.toMatchObject({
        groupId,
        participants: [BEN],
        by: ME,
      });
      const promoted = await paired.api.request('promote_participants', {
        sessionId: SESSION,
        groupId,
        participants: [BEN, '6284444444444'],
      });
      expect(promoted.results).toEqual([
        { participant: BEN, ok: true },
        { participant: '6284444444444', ok: false, reason: 'not_participant' },
      ]);
      const demoted = await paired.api.request('demote_participants', { sessionId: SESSION, groupId, participants: [ME] });
      expect(demoted.results).toEqual([{ participant: ME, ok: false, reason: 'not_allowed' }]);

      after = paired.log.mark();
      await groupAction(paired.device.page, { groupId, action: 'leave', participants: [`${ANA}@c.us`] });
      await expect(paired.log.next('group_participants_changed', (e) => e.action === 'leave', { after })).resolves.toMatchObject({
        participants: [ANA],
        by: ANA,
      });
      await expect(paired.api.request('get_common_groups', { sessionId: SESSION, contactId: BEN })).resolves.toMatchObject({
        groupIds: [groupId],
      });
      await paired.api.request('leave_group', { sessionId: SESSION, groupId });
      await expect(paired.api.request('get_group_info', { sessionId: SESSION, groupId })).rejects.toMatchObject({
        code: 'not_group_participant',
      });
    });

    it('refuses with not_group_admin in a group someone else runs, and group_not_found for an unknown one', async () => {
      const groupId = await makeGroup(paired.device.page, { subject: 'Theirs', owner: `${ANA}@c.us`, participants: [`${ME}@c.us`] });
      await expect(paired.api.request('get_group_info', { sessionId: SESSION, groupId })).resolves.toMatchObject({
        inviteLink: null,
        owner: ANA,
      });
      await expect(paired.api.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN] })).rejects.toMatchObject({
        code: 'not_group_admin',
      });
      await expect(paired.api.request('update_group', { sessionId: SESSION, groupId, infoAdminsOnly: true })).rejects.toMatchObject({
        code: 'not_group_admin',
      });
      await expect(paired.api.request('get_group_info', { sessionId: SESSION, groupId: '120363999999999999@g.us' })).rejects.toMatchObject({
        code: 'group_not_found',
      });
    });

    it('reports what others do, and answers group_full at 1024 participants', async () => {
      const others = Array.from({ length: 1022 }, (_, i) => `628220${String(i).padStart(5, '0')}1@c.us`);
      const groupId = await makeGroup(paired.device.page, {
        subject: 'Big',
        owner: `${ME}@c.us`,
        participants: [`${ANA}@c.us`, ...others],
      });
      const after = paired.log.mark();
      await groupChange(paired.device.page, { groupId, by: `${ANA}@c.us`, subject: 'Renamed' });
      await expect(paired.log.next('group_updated', (e) => e.groupId === groupId, { after })).resolves.toMatchObject({
        changes: { name: 'Renamed' },
        by: ANA,
      });
      const added = await paired.api.request('add_participants', { sessionId: SESSION, groupId, participants: [BEN] });
      expect(added.results).toEqual([{ participant: BEN, ok: false, reason: 'group_full' }]);
      await groupAction(paired.device.page, { groupId, action: 'leave', participants: [`${ANA}@c.us`] });
      await groupAction(paired.device.page, { groupId, action: 'join', participants: [`${BEN}@c.us`] });
      const joined = paired.log.next('group_participants_changed', (e) => e.groupId === groupId && e.action === 'join', { after });
      await expect(joined).resolves.toMatchObject({ participants: [BEN], by: null });
    });
  },
);
