/**
 * Lifecycle requests for one session id, sent at once, on the real engine through the WhatsApp Web
 * double: they are carried out one at a time in arrival order, and afterwards the manager's list, the
 * stored logins in DATA_DIR and the running Chromium browsers agree. Bounded: every browser start
 * costs about half a second, so tens of requests, not thousands (the sandbox variant runs hundreds:
 * test/sessions/session-manager.test.ts).
 */
import { existsSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { storedLoginDir } from '../../src/storage/session-storage';
import { LifecycleModel, randomRequests, replay, sendAll } from '../support/lifecycle-model';
import { makeTempRoot } from '../support/sandbox-gateway';
import { browserMainProcesses, expectNoChromium, killChromium } from '../../double/processes';
import { hasBrowser, startDoubleGateway, type DoubleGateway, type EventLog } from '../../double/gateway';
import { waitUntil, closeAndCheckClean } from './support';

describe.skipIf(!hasBrowser)('the order of lifecycle requests, real Chromium through the double', { timeout: 120_000 }, () => {
  let root: string;
  let gw: DoubleGateway | undefined;
  let log: EventLog;
  let api: GatewayClient;

  beforeAll(async () => {
    root = await makeTempRoot();
    gw = await startDoubleGateway(root, { QR_MAX_ATTEMPTS: '100', MAX_CONCURRENT_STARTS: '2' });
    log = await gw.client();
    api = log.client;
  });

  afterAll(async () => {
    await closeAndCheckClean(gw, root);
  });

  /** Starts the session until its QR shows, then stops it: a stored login (LocalAuth's profile) that is not running. */
  async function storeLogin(sessionId: string): Promise<void> {
    const after = log.mark();
    await api.startSession(sessionId);
    await log.next('qr_code', (q) => q.sessionId === sessionId, { after });
    await api.stopSession(sessionId);
  }

  /** Session ids of the running browsers, one entry per browser. */
  const browsers = () =>
    browserMainProcesses(gw!.dataDir)
      .map((p) => p.sessionId)
      .sort();

  it('logout_session then start_session of a stored session that is not running, back to back: one browser, listed and stoppable', async () => {
    const broken: string[] = [];
    await storeLogin('raced');
    for (let round = 0; round < 5; round += 1) {
      const after = log.mark();
      const [loggedOut, started] = await Promise.allSettled([api.logoutSession('raced'), api.startSession('raced')]);
      await log.next('qr_code', (q) => q.sessionId === 'raced', { after });
      const listed = gw!.gateway.manager.list().some((session) => session.id === 'raced');
      const stopped = await api.stopSession('raced').then(
        () => 'ok',
        (error: { code: string }) => error.code,
      );
      if (loggedOut.status === 'rejected' || started.status === 'rejected' || !listed || stopped !== 'ok') {
        broken.push(`round ${round}: logout ${loggedOut.status}, start ${started.status}, listed ${listed}, stop ${stopped}`);
        killChromium(gw!.dataDir); // the ghost's browser, so that the next round can start one
        await expectNoChromium(gw!.dataDir);
      }
      expect(browsers()).toEqual([]);
    }
    expect(broken, `${broken.length} of 5 rounds broke`).toEqual([]);
    await api.logoutSession('raced'); // leaves DATA_DIR to the next test
  });

  it('tens of mixed requests for two session ids, sent at once, end as they would one at a time', async () => {
    const ids = ['order-a', 'order-b'];
    for (const id of ids) await storeLogin(id);
    const requests = randomRequests(40, 7, ids, { start: 3, stop: 2, logout: 1, load: 1, status: 2 });
    const outcomes = await sendAll(api, requests);
    const models = ids.map((id) => new LifecycleModel(id, { running: false, stored: true }));
    expect(replay(models, requests, outcomes)).toEqual([]);

    const running = models.filter((m) => m.running).map((m) => m.sessionId);
    await waitUntil('every running session to show its QR', () =>
      running.every((id) => gw!.gateway.manager.get(id).snapshot().status === 'qr'),
    );
    expect(
      gw!.gateway.manager
        .list()
        .map((s) => s.id)
        .sort(),
    ).toEqual(running);
    expect(browsers()).toEqual(running);
    for (const model of models) {
      const stored = existsSync(storedLoginDir(gw!.dataDir, model.sessionId));
      if (model.running) expect(stored, `${model.sessionId} runs without its stored login`).toBe(true);
      else if (model.stored !== 'maybe') expect(stored, `${model.sessionId} stored login`).toBe(model.stored);
    }
    for (const id of running) await api.stopSession(id);
    await expectNoChromium(gw!.dataDir);
  });
});
