import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger';
import type { ServerEventName } from '../../src/protocol/events';
import { Session, type SessionOptions } from '../../src/sessions/session';
import { StartLimiter } from '../../src/sessions/start-limiter';
import { SessionStorage } from '../../src/storage/session-storage';
import { ScriptedEngine } from '../support/scripted-engine';

const options: SessionOptions = {
  startTimeoutMs: 200,
  qrMaxAttempts: 3,
  restartMaxAttempts: 2,
  restartBaseDelayMs: 10,
  sendQueueMax: 10,
  sendPacing: { minIntervalMs: 0, jitterMs: 0 },
};
const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Session', () => {
  let engine: ScriptedEngine;
  let events: Array<{ event: ServerEventName; payload: Record<string, unknown> }>;
  let storage: SessionStorage;

  const makeSession = (overrides: Partial<SessionOptions> = {}, limiter = new StartLimiter(1), id = 's1') =>
    new Session(id, undefined, {
      engine,
      limiter,
      storage,
      emit: (event, payload) => events.push({ event, payload: payload as Record<string, unknown> }),
      logger: silentLogger,
      options: { ...options, ...overrides },
    });
  const names = () => events.map((e) => (e.event === 'session_status' ? `status:${e.payload.status}` : e.event));

  beforeEach(async () => {
    engine = new ScriptedEngine();
    events = [];
    storage = new SessionStorage(await fs.mkdtemp(path.join(os.tmpdir(), 'session-test-')));
  });

  it('goes starting → qr → connected and reports a second ready only once', async () => {
    const session = makeSession();
    session.start();
    await tick();
    engine.latest.connect();
    engine.latest.connect();
    await vi.waitFor(() => expect(names()).toEqual(['status:starting', 'status:qr', 'qr_code', 'status:connected', 'session_connected']));
    await tick();
    expect(names()).toHaveLength(5);
    expect(session.snapshot()).toMatchObject({ status: 'connected', isConnected: true, phoneNumber: '15550001111' });
  });

  it('ends with qr_timeout after QR_MAX_ATTEMPTS codes nobody scanned', async () => {
    const session = makeSession();
    session.start();
    await tick();
    for (const n of [2, 3, 4]) engine.latest.listener.onQr(`qr-${n}`);
    await tick(50);
    expect(events.filter((e) => e.event === 'qr_code').map((e) => e.payload.attempt)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toEqual({ event: 'session_disconnected', payload: { sessionId: 's1', reason: 'qr_timeout' } });
    expect(session.snapshot().status).toBe('disconnected');
    expect(engine.latest.stopped).toBe(1);
  });

  it('fails with start_timeout when the engine shows nothing, and stops the engine', async () => {
    engine.configure = (s) => (s.onStart = () => new Promise(() => {}));
    const session = makeSession();
    session.start();
    await tick(300);
    expect(session.snapshot().status).toBe('failed');
    expect(events.find((e) => e.event === 'session_error')?.payload).toMatchObject({ code: 'start_timeout', event: 'start_session' });
    expect(engine.latest.stopped).toBe(1);
  });

  it('reports a start rejection (a plain string, as whatsapp-web.js does) as engine_error', async () => {
    engine.configure = (s) => (s.onStart = () => Promise.reject('auth timeout'));
    const session = makeSession();
    session.start();
    await tick();
    expect(session.snapshot().status).toBe('failed');
    expect(events.find((e) => e.event === 'session_error')?.payload).toMatchObject({ code: 'engine_error', message: 'auth timeout' });
  });

  it('restarts after the browser dies and reconnects; ignores events of the dead engine session', async () => {
    engine.configure = (s) => (s.onStart = async () => s.connect());
    const session = makeSession();
    session.start();
    await vi.waitFor(() => expect(session.isConnected).toBe(true));
    const first = engine.latest;
    first.listener.onDisconnected('browser_closed');
    await vi.waitFor(() => expect(names()).toHaveLength(8));
    expect(engine.sessions).toHaveLength(2);
    expect(names()).toEqual([
      'status:starting',
      'status:connected',
      'session_connected',
      'session_disconnected',
      'status:reconnecting',
      'status:starting',
      'status:connected',
      'session_connected',
    ]);
    first.listener.onMessage({} as never);
    await tick();
    expect(events.some((e) => e.event === 'message_received')).toBe(false);
    expect(session.isConnected).toBe(true);
  });

  it('ends failed when the browser keeps dying', async () => {
    engine.configure = (s) => (s.onStart = async () => s.connect());
    const session = makeSession();
    session.start();
    for (let launch = 1; launch <= 1 + options.restartMaxAttempts; launch += 1) {
      await vi.waitFor(() => expect([engine.sessions.length, session.isConnected]).toEqual([launch, true]));
      engine.latest.listener.onDisconnected('browser_closed');
    }
    await vi.waitFor(() => expect(session.snapshot().status).toBe('failed'));
    expect(engine.sessions).toHaveLength(1 + options.restartMaxAttempts);
  });

  it('treats a logout from the phone as final and deletes the stored login', async () => {
    await fs.mkdir(storage.folderOf('s1'), { recursive: true });
    engine.configure = (s) => (s.onStart = async () => s.connect());
    const session = makeSession();
    session.start();
    await vi.waitFor(() => expect(session.isConnected).toBe(true));
    engine.latest.listener.onDisconnected('logged_out');
    await vi.waitFor(() => expect(session.snapshot().status).toBe('disconnected'));
    expect(events.at(-1)).toEqual({ event: 'session_disconnected', payload: { sessionId: 's1', reason: 'logged_out' } });
    expect(await storage.has('s1')).toBe(false);
    expect(engine.sessions).toHaveLength(1);
  });

  it('stop() while waiting for a launch slot never launches', async () => {
    const session = makeSession();
    session.start();
    await session.stop();
    await tick();
    expect(engine.latest.started).toBe(0);
    expect(session.snapshot().status).toBe('stopped');
  });

  it('a stopped launch gives its slot back at once instead of holding it until START_TIMEOUT_MS', async () => {
    const limiter = new StartLimiter(1);
    engine.configure = (s) => (s.onStart = () => new Promise(() => {}));
    const hanging = makeSession({ startTimeoutMs: 10_000 }, limiter, 'hanging');
    hanging.start();
    await tick();
    engine.configure = () => {};
    const next = makeSession({ startTimeoutMs: 10_000 }, limiter, 'next');
    next.start();
    await hanging.stop();
    await tick(50);
    expect(next.snapshot().status).toBe('qr');
  });

  it('fails with storage_failed before launching when DATA_DIR has less than DATA_DIR_MIN_FREE_MB free', async () => {
    storage = new SessionStorage(storage.dataDir, Number.MAX_SAFE_INTEGER);
    const session = makeSession();
    session.start();
    await tick();
    expect(engine.latest.started).toBe(0);
    expect(names()).toEqual(['status:starting', 'status:failed', 'session_error']);
    expect(events.at(-1)?.payload).toMatchObject({
      code: 'storage_failed',
      event: 'start_session',
      message: expect.stringMatching(/MB free/),
    });
  });

  it('fails with storage_failed instead of connecting when its folder cannot take the login, and stops the engine', async () => {
    const session = makeSession();
    session.start();
    await tick();
    // A directory where the probe file goes: the folder refuses the write, even for root.
    await fs.mkdir(path.join(storage.folderOf('s1'), `.storage-probe-${process.pid}`, 'x'), { recursive: true });
    engine.latest.connect();
    await tick();
    expect(names()).toEqual(['status:starting', 'status:qr', 'qr_code', 'status:failed', 'session_error']);
    expect(events.at(-1)?.payload).toMatchObject({ code: 'storage_failed', message: expect.stringContaining('"s1" is not writable') });
    expect(session.snapshot()).toMatchObject({ status: 'failed', isConnected: false });
    expect(engine.latest.stopped).toBe(1);
    await tick(50);
    expect(engine.sessions).toHaveLength(1); // no restart
  });
});
