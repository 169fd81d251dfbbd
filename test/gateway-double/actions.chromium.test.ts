/**
 * React, edit, delete, forward, presence and typing states through the Socket.IO API with the real
 * engine: whatsapp-web.js in headless Chromium against the WhatsApp Web double, on every profile.
 * The double records what the page was asked to do (messageActions), which is what these check.
 */
import { describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, deliverMessage, messageActions, type DoubleProfile } from '../../double/harness';
import { hasBrowser } from '../../double/gateway';
import { pairedOnDouble } from './support';

const SESSION = 'actions';
const CONTACT = '6281111111111';
const FRIEND = '6282222222222';

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'message actions with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    const paired = pairedOnDouble(SESSION, profile);

    it('reacts to, edits, forwards and revokes a sent message; then it is gone', async () => {
      const { messageId } = await paired.api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'hello' });
      await paired.api.reactToMessage(SESSION, messageId, '👍');
      await paired.api.editMessage(SESSION, messageId, 'hello, edited');
      await paired.api.forwardMessage(SESSION, messageId, FRIEND);
      await paired.api.deleteMessage(SESSION, messageId, true);
      expect((await messageActions(paired.device.page)).filter((action) => action.id === messageId)).toEqual([
        { action: 'react', id: messageId, emoji: '👍' },
        { action: 'edit', id: messageId, text: 'hello, edited' },
        { action: 'forward', id: messageId, to: expect.stringContaining('@') },
        { action: 'revoke', id: messageId },
      ]);
      await expect(paired.api.reactToMessage(SESSION, messageId, '👍')).rejects.toMatchObject({ code: 'message_not_found' });
    });

    it('a received message cannot be edited nor revoked, and an unknown one is not found', async () => {
      const after = paired.log.mark();
      await deliverMessage(paired.device.page, { from: `${CONTACT}@c.us`, body: 'hi bot' });
      const { message } = await paired.log.next('message_received', (m) => m.message.text === 'hi bot', { after });
      await expect(paired.api.editMessage(SESSION, message.id, 'x')).rejects.toMatchObject({ code: 'message_not_editable' });
      await expect(paired.api.deleteMessage(SESSION, message.id, true)).rejects.toMatchObject({ code: 'message_not_revocable' });
      await expect(paired.api.reactToMessage(SESSION, message.id, '❤️')).resolves.toMatchObject({ emoji: '❤️' });
      const unknown = `true_${CONTACT}@c.us_3EB0NEVERSENT`;
      await expect(paired.api.editMessage(SESSION, unknown, 'x')).rejects.toMatchObject({ code: 'message_not_found' });
    });

    it('presence and typing states answer through the library', async () => {
      await expect(paired.api.sendPresence(SESSION, false)).resolves.toEqual({ sessionId: SESSION, available: false });
      expect((await messageActions(paired.device.page)).at(-1)).toEqual({ action: 'presence', available: false });
      await expect(paired.api.sendTyping(SESSION, CONTACT, 'recording')).resolves.toMatchObject({ state: 'recording', isTyping: true });
    });
  },
);
