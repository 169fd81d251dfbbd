/**
 * Lifecycle requests for one session id are carried out one at a time, in the order they arrived,
 * whatever their mix: afterwards the manager's list, the stored logins and what the engine runs agree.
 * (The same on the real engine: test/gateway-double/lifecycle-order.chromium.test.ts.)
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { storedLoginDir } from '../../src/storage/session-storage';
import type { Config } from '../../src/config';
import { LifecycleModel, randomRequests, replay, sendAll } from '../support/lifecycle-model';
import { makeTempRoot, nextEvent, sandboxEngine, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';
import { TrackedEngine } from '../support/tracked-engine';

const WEIGHTS = { start: 3, stop: 2, logout: 1, load: 1, status: 2 };
const FAST = { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', RATE_LIMIT_STRIKES: '100000' };

function trackedSandbox(config: Config): TrackedEngine {
  return new TrackedEngine(sandboxEngine(config));
}

describe('the order of lifecycle requests (sandbox engine)', () => {
  let gateway: TestGateway | undefined;
  let engine: TrackedEngine;
  afterEach(async () => {
    await gateway?.shutdown();
    gateway = undefined;
  });

  async function start(env: Record<string, string> = {}) {
    const root = await makeTempRoot();
    gateway = await startSandboxGateway({ ...FAST, ...env }, root, { engine: (config) => (engine = trackedSandbox(config)) });
    return gateway;
  }

  /** Pairs the session, then stops it: a stored login that is not running. */
  async function storeLogin(client: GatewayClient, sessionId: string): Promise<void> {
    const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === sessionId);
    await client.startSession(sessionId);
    await connected;
    await client.stopSession(sessionId);
  }

  it('logout_session then start_session of a stored session that is not running, back to back: the new session runs and is listed (200 rounds)', async () => {
    const gw = await start();
    const client = await gw.client();
    const broken: string[] = [];
    await storeLogin(client, 'raced');
    for (let round = 0; round < 200; round += 1) {
      const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === 'raced');
      const [loggedOut, started] = await Promise.allSettled([client.logoutSession('raced'), client.startSession('raced')]);
      await connected; // the new login pairs (SANDBOX_SCAN_MS=0), listed or not
      const listed = gw.manager.list().some((session) => session.id === 'raced');
      const running = engine.running().get('raced') ?? 0;
      if (loggedOut.status === 'rejected' || started.status === 'rejected' || !listed || running !== 1) {
        broken.push(`round ${round}: logout ${loggedOut.status}, start ${started.status}, listed ${listed}, engine sessions ${running}`);
      }
      // Stored and not running again for the next round. A ghost cannot be stopped through the API: stop it behind the gateway's back.
      if (listed) await client.stopSession('raced');
      else await engine.stopRunning('raced');
    }
    expect(broken, `${broken.length} of 200 rounds broke`).toEqual([]);
  });

  it('hundreds of mixed requests per session id, sent at once over several connections, end as they would one at a time', async () => {
    const ids = ['mix-a', 'mix-b', 'mix-c', 'mix-d'];
    const keys = ids.map((id) => `key-for-${id}-0123456789`);
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    await fs.writeFile(keysFile, JSON.stringify(Object.fromEntries(ids.map((id, i) => [keys[i], [id]]))));
    gateway = await startSandboxGateway({ ...FAST, API_KEYS_FILE: keysFile }, root, {
      engine: (config) => (engine = trackedSandbox(config)),
    });
    const gw = gateway;
    const clients = await Promise.all(keys.map((token) => gw.client({ token, timeoutMs: 30_000 })));
    for (const [i, id] of ids.entries()) await storeLogin(clients[i]!, id);

    const sequences = ids.map((id, i) => randomRequests(150, 1234 + i, [id], WEIGHTS));
    const outcomes = await Promise.all(ids.map((_, i) => sendAll(clients[i]!, sequences[i]!)));

    const models = ids.map((id) => new LifecycleModel(id, { running: false, stored: true }));
    expect(models.flatMap((model, i) => replay([model], sequences[i]!, outcomes[i]!))).toEqual([]);
    await expectAgreement(gw, models);
  });

  it('hundreds of mixed requests for several session ids over one connection, loads included, end as they would one at a time', async () => {
    const gw = await start();
    const client = await gw.client({ timeoutMs: 30_000 });
    const ids = ['one-a', 'one-b', 'one-c'];
    for (const id of ids) await storeLogin(client, id);
    const requests = randomRequests(600, 99, ids, WEIGHTS);
    const outcomes = await sendAll(client, requests);
    const models = ids.map((id) => new LifecycleModel(id, { running: false, stored: true }));
    expect(replay(models, requests, outcomes)).toEqual([]);
    await expectAgreement(gw, models);
  });

  /** Once every running session has connected: the manager lists, the engine runs and DATA_DIR stores what the model says. */
  async function expectAgreement(gw: TestGateway, models: LifecycleModel[]): Promise<void> {
    const running = models
      .filter((m) => m.running)
      .map((m) => m.sessionId)
      .sort();
    await vi.waitFor(() => {
      for (const id of running) expect(gw.manager.get(id).isConnected).toBe(true);
    });
    expect(
      gw.manager
        .list()
        .map((s) => s.id)
        .sort(),
    ).toEqual(running);
    expect([...engine.running().entries()].sort()).toEqual(running.map((id) => [id, 1]));
    for (const model of models) {
      const stored = existsSync(storedLoginDir(gw.config.dataDir, model.sessionId));
      if (model.running) expect(stored, `${model.sessionId} runs without its stored login`).toBe(true);
      else if (model.stored !== 'maybe') expect(stored, `${model.sessionId} stored login`).toBe(model.stored);
    }
  }
});
