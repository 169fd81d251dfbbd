/** The group events as the protocol carries them (src/sessions/group-events.ts). */
import { describe, expect, it } from 'vitest';
import { groupUpdatedSchema } from '../../src/protocol/schemas';
import { groupUpdatedPayload } from '../../src/sessions/group-events';

const GROUP = '120363000000000001@g.us';

describe('groupUpdatedPayload', () => {
  it('carries the new value, and `by` as a number', () => {
    const payload = groupUpdatedPayload('s1', { groupId: GROUP, changes: { name: 'Team' }, by: '6281111111111@c.us' });
    expect(payload).toEqual({ sessionId: 's1', groupId: GROUP, changes: { name: 'Team' }, by: '6281111111111' });
    expect(groupUpdatedSchema.strict().parse(payload)).toEqual(payload);
  });

  it('carries valueNotRead when the engine could not read the new value', () => {
    const payload = groupUpdatedPayload('s1', { groupId: GROUP, changes: {}, valueNotRead: 'messagesAdminsOnly', by: null });
    expect(payload).toEqual({ sessionId: 's1', groupId: GROUP, changes: {}, valueNotRead: 'messagesAdminsOnly', by: null });
    expect(groupUpdatedSchema.strict().parse(payload)).toEqual(payload);
  });
});
