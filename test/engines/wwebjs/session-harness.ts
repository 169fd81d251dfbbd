/** A WwebjsEngine session wired to fake clients, a recording listener and a temporary DATA_DIR. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EngineSession, LoginOptions } from '../../../src/engines/engine';
import { WwebjsEngine, type WwebjsEngineOptions } from '../../../src/engines/wwebjs/wwebjs-engine';
import { silentLogger } from '../../../src/logger';
import { recordingListener, type RecordingListener } from '../../support/recording-listener';
import { FakeClient } from './fake-client';

export const SESSION_ID = 'alpha';

export const TEST_TIMEOUTS = {
  destroyMs: 300,
  launchMs: 2_000,
  phoneLogoutMs: 300,
  callMs: 300,
  sendMs: 300,
  logoutMs: 300,
  livenessMs: 50,
  readyPollMs: 20,
  readyNudgeMs: 60,
  readyTimeoutMs: 400,
};

export interface Harness {
  session: EngineSession;
  listener: RecordingListener;
  /** The client start() created. */
  client(): FakeClient;
  /** Every client created, for asserting how many. */
  clients: FakeClient[];
  dataDir: string;
  /** Script each new client before the session gets it (e.g. a hanging initialize). */
  prepareClient(prepare: (client: FakeClient) => void): void;
  cleanup(): Promise<void>;
}

export function createHarness(overrides: Partial<WwebjsEngineOptions> = {}, login?: LoginOptions): Harness {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wwebjs-session-'));
  const clients: FakeClient[] = [];
  let prepare: (client: FakeClient) => void = () => {};
  const listener = recordingListener();
  const engine = new WwebjsEngine({
    dataDir,
    // Any executable will do: a fake client never launches it.
    chromePath: process.execPath,
    chromeArgs: ['--lang=en'],
    logger: silentLogger,
    createClient: (options) => {
      const client = new FakeClient(options);
      prepare(client);
      clients.push(client);
      return client;
    },
    timeouts: TEST_TIMEOUTS,
    ...overrides,
  });
  const session = engine.createSession(SESSION_ID, listener, login);
  return {
    session,
    listener,
    clients,
    dataDir,
    client: () => {
      const client = clients.at(-1);
      if (!client) throw new Error('start() has not created a client');
      return client;
    },
    prepareClient: (next) => (prepare = next),
    cleanup: async () => {
      await session.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a test of a started session reaches: its harness's session, listener and client. */
export type StartedHarness = Pick<Harness, 'session' | 'listener' | 'client'>;

/**
 * For a file whose tests each want a started session: before each test a new harness and start(),
 * after it cleanup(). The answer stands for the running test's harness.
 */
export function startedHarnessPerTest(): StartedHarness {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = createHarness();
    await current.session.start();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  const now = (): Harness => {
    if (!current) throw new Error('no test is running');
    return current;
  };
  return {
    get session() {
      return now().session;
    },
    get listener() {
      return now().listener;
    },
    client: () => now().client(),
  };
}

/** Lets pending promise callbacks (the session's async event handling) run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
