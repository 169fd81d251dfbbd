/**
 * React, edit, delete, forward, presence and typing states through the Socket.IO API with the real
 * engine: whatsapp-web.js in headless Chromium against the WhatsApp Web double, on every profile.
 * The double records what the page was asked to do (messageActions), which is what these check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, deliverMessage, messageActions, type DoubleProfile } from '../../double/harness';
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
import { closeAndCheckClean } from './support';

const SESSION = 'actions';
const CONTACT = '6281111111111';
const FRIEND = '6282222222222';

describe.skipIf(!hasBrowser).each(DOUBLE_PROFILE_NAMES)(
  'message actions with the real engine on the %s double',
  { timeout: 60_000 },
  (profile: DoubleProfile) => {
    let root: string;
    let gw: DoubleGateway;
    let log: EventLog;
    let api: GatewayClient;
    let device: Phone;

    beforeAll(async () => {
      root = await makeTempRoot();
      gw = await startDoubleGateway(root, {}, { profile });
      log = await gw.client();
      api = (await gw.client()).client;
      ({ device } = await startAndPairKeepingPhone(gw, log, SESSION));
    });

    afterAll(async () => {
      await device?.disconnect();
      await closeAndCheckClean(gw, root);
    });

    it('reacts to, edits, forwards and revokes a sent message; then it is gone', async () => {
      const { messageId } = await api.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'hello' });
      await api.reactToMessage(SESSION, messageId, '👍');
      await api.editMessage(SESSION, messageId, 'hello, edited');
      await api.forwardMessage(SESSION, messageId, FRIEND);
      await api.deleteMessage(SESSION, messageId, true);
      expect((await messageActions(device.page)).filter((action) => action.id === messageId)).toEqual([
        { action: 'react', id: messageId, emoji: '👍' },
        { action: 'edit', id: messageId, text: 'hello, edited' },
        { action: 'forward', id: messageId, to: expect.stringContaining('@') },
        { action: 'revoke', id: messageId },
      ]);
      await expect(api.reactToMessage(SESSION, messageId, '👍')).rejects.toMatchObject({ code: 'message_not_found' });
    });

    it('a received message cannot be edited nor revoked, and an unknown one is not found', async () => {
      const after = log.mark();
      await deliverMessage(device.page, { from: `${CONTACT}@c.us`, body: 'hi bot' });
      const { message } = await log.next('message_received', (m) => m.message.text === 'hi bot', { after });
      await expect(api.editMessage(SESSION, message.id, 'x')).rejects.toMatchObject({ code: 'message_not_editable' });
      await expect(api.deleteMessage(SESSION, message.id, true)).rejects.toMatchObject({ code: 'message_not_revocable' });
      await expect(api.reactToMessage(SESSION, message.id, '❤️')).resolves.toMatchObject({ emoji: '❤️' });
      const unknown = `true_${CONTACT}@c.us_3EB0NEVERSENT`;
      await expect(api.editMessage(SESSION, unknown, 'x')).rejects.toMatchObject({ code: 'message_not_found' });
    });

    it('presence and typing states answer through the library', async () => {
      await expect(api.sendPresence(SESSION, false)).resolves.toEqual({ sessionId: SESSION, available: false });
      expect((await messageActions(device.page)).at(-1)).toEqual({ action: 'presence', available: false });
      await expect(api.sendTyping(SESSION, CONTACT, 'recording')).resolves.toMatchObject({ state: 'recording', isTyping: true });
    });
  },
);
