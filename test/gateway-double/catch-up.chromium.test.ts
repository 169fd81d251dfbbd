/**
 * Catch-up after downtime (issue 15) with the real library in real Chromium: messages reach the
 * account while the gateway is down; WhatsApp Web (the double) puts them in their chats during its
 * sync, where whatsapp-web.js emits no `message` for them, and the last one only after `ready`
 * (a live `message`). The gateway delivers each exactly once, the synced ones backfilled, and after
 * another restart (the page still holds them in their chats) none again. Reading the chats never makes the
 * page load earlier messages from the phone.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerPayload } from '../../src/protocol/events';
import { makeTempRoot } from '../support/sandbox-gateway';
import { closeAndCheckClean } from './support';
import { hasBrowser, pairAndPersist, phone, startDoubleGateway, type DoubleGateway, type EventLog } from '../../double/gateway';
import { chatActions, deliverMessage, queueOfflineArrivals, type ChatAction, type OfflineArrival } from '../../double/harness';

const SESSION = 'catching-up';
const PEER = '6281111111111';
/** The client starts the restored session itself, so it sees everything from the connect on. */
const ENV = { AUTO_LOAD_SESSIONS: 'false' };

describe.skipIf(!hasBrowser)('catch-up after a gateway restart, real Chromium through the double', { timeout: 120_000 }, () => {
  let root: string;
  let gw: DoubleGateway | undefined;

  beforeAll(async () => {
    root = await makeTempRoot();
  });

  afterAll(async () => {
    await closeAndCheckClean(gw, root);
  });

  /** A gateway on the same DATA_DIR whose WhatsApp Web holds `arrivals`; the session started and connected. */
  async function restartWith(arrivals: OfflineArrival[]): Promise<EventLog> {
    await gw?.close();
    gw = await startDoubleGateway(root, ENV, { offlineArrivals: arrivals });
    const log = await gw.client();
    await log.client.startSession(SESSION);
    await log.next('session_connected', (c) => c.sessionId === SESSION);
    return log;
  }

  /**
   * A live message after the connect: the session handles events in order, so the catch-up is done once it is here.
   * With what the page was asked to do to its chats meanwhile.
   */
  async function afterCatchUp(log: EventLog): Promise<{ received: Array<ServerPayload<'message_received'>>; actions: ChatAction[] }> {
    const device = await phone(gw!.dataDir, SESSION);
    try {
      await deliverMessage(device.page, { from: `${PEER}@c.us`, body: 'marker' });
      await log.next('message_received', (m) => m.message.text === 'marker');
      const received = log.since('message_received', SESSION).filter((m) => m.message.text !== 'marker');
      return { received, actions: await chatActions(device.page) };
    } finally {
      await device.disconnect();
    }
  }

  it('delivers what arrived while it was down once, and never again after the next restart', async () => {
    gw = await startDoubleGateway(root, ENV);
    await pairAndPersist(gw, await gw.client(), SESSION); // the first connect sets the session's watermark
    const arrivals = queueOfflineArrivals(path.join(root, 'web-cache'), {}, [
      { from: `${PEER}@c.us`, body: 'while down 1' },
      { from: `${PEER}@c.us`, body: 'while down 2' },
      { from: `${PEER}@c.us`, body: 'the tail, after ready', tail: true },
    ]);

    let log = await restartWith(arrivals);
    await log.next('message_received', (m) => m.message.text === 'the tail, after ready');
    const { received, actions } = await afterCatchUp(log);
    expect(actions.filter((action) => action.action === 'loadEarlier')).toEqual([]);
    const byText = new Map(received.map((m) => [m.message.text, m]));
    expect(received.map((m) => m.message.text).sort()).toEqual(['the tail, after ready', 'while down 1', 'while down 2']);
    expect(byText.get('while down 1')).toMatchObject({ backfilled: true, message: { from: PEER, fromMe: false } });
    expect(byText.get('while down 2')).toMatchObject({ backfilled: true });
    expect(byText.get('while down 1')!.message.id).toContain(arrivals[0]!.id);

    log = await restartWith(arrivals);
    expect((await afterCatchUp(log)).received).toEqual([]);
  });
});
