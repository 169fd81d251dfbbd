import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger';
import type { ServerEventName } from '../../src/protocol/events';
import { Session, type SessionOptions } from '../../src/sessions/session';
import { StartLimiter } from '../../src/sessions/start-limiter';
import { SessionStorage } from '../../src/storage/session-storage';
import { ScriptedEngine, type ScriptedSession } from '../support/scripted-engine';

const options: SessionOptions = {
  startTimeoutMs: 200,
  qrMaxAttempts: 3,
  pairingCodeMaxAttempts: 2,
  restartMaxAttempts: 2,
  restartBaseDelayMs: 10,
  sendQueueMax: 10,
  sendPacing: { minIntervalMs: 0, jitterMs: 0 },
  sendConcurrency: 1,
};

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
  /** Polls often: storage checks are real file-system calls, and each poll moves a fake clock by `interval`. */
  const soon = { interval: 5 };
  const statusIs = (session: Session, status: string) => vi.waitFor(() => expect(session.snapshot().status).toBe(status), soon);
  /**
   * Resolves once the session has handled every event `engineSession` reported so far: it handles
   * engine events one after another, so an ack reported now comes out after all of them.
   */
  const handled = async (engineSession: ScriptedSession) => {
    engineSession.listener.onAck('barrier', 'read');
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ event: 'message_ack', payload: { messageId: 'barrier' } }), soon);
  };

  beforeEach(async () => {
    engine = new ScriptedEngine();
    events = [];
    storage = new SessionStorage(await fs.mkdtemp(path.join(os.tmpdir(), 'session-test-')));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes starting → qr → connected and reports a second ready only once', async () => {
    const session = makeSession();
    session.start();
    await statusIs(session, 'qr');
    engine.latest.connect();
    engine.latest.connect();
    await handled(engine.latest);
    expect(names()).toEqual(['status:starting', 'status:qr', 'qr_code', 'status:connected', 'session_connected', 'message_ack']);
    expect(session.snapshot()).toMatchObject({ status: 'connected', isConnected: true, phoneNumber: '15550001111' });
  });

  it('ends with qr_timeout after QR_MAX_ATTEMPTS codes nobody scanned', async () => {
    const session = makeSession();
    session.start();
    await statusIs(session, 'qr');
    for (const n of [2, 3, 4]) engine.latest.listener.onQr(`qr-${n}`);
    await statusIs(session, 'disconnected');
    expect(events.filter((e) => e.event === 'qr_code').map((e) => e.payload.attempt)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toEqual({ event: 'session_disconnected', payload: { sessionId: 's1', reason: 'qr_timeout' } });
    expect(session.snapshot().status).toBe('disconnected');
    expect(engine.latest.stopped).toBe(1);
  });

  it('a pairing-code start: status pairing with the code, then qr_timeout after PAIRING_CODE_MAX_ATTEMPTS codes', async () => {
    engine.configure = (s) => (s.onStart = async () => s.listener.onPairingCode('CODE0001'));
    const session = makeSession();
    session.start({ pairWithPhoneNumber: '6282284316465' });
    await statusIs(session, 'pairing');
    expect(engine.latest.login).toEqual({ pairWithPhoneNumber: '6282284316465' });
    expect(session.snapshot()).toMatchObject({ status: 'pairing', pairingCode: 'CODE0001' });
    expect(session.latestPairingCode()).toEqual({ sessionId: 's1', code: 'CODE0001', phoneNumber: '6282284316465', attempt: 1 });
    for (const n of [2, 3]) engine.latest.listener.onPairingCode(`CODE000${n}`);
    await statusIs(session, 'disconnected');
    expect(events.filter((e) => e.event === 'pairing_code').map((e) => [e.payload.code, e.payload.attempt])).toEqual([
      ['CODE0001', 1],
      ['CODE0002', 2],
    ]);
    expect(events.at(-1)).toEqual({ event: 'session_disconnected', payload: { sessionId: 's1', reason: 'qr_timeout' } });
    expect(names()).not.toContain('qr_code');
  });

  it('restarts with the way it was started: the pairing number goes to every engine session it launches', async () => {
    engine.configure = (s) => (s.onStart = async () => s.listener.onPairingCode('CODE0001'));
    const session = makeSession();
    session.start({ pairWithPhoneNumber: '6282284316465' });
    await statusIs(session, 'pairing');
    engine.latest.listener.onDisconnected('browser_closed');
    await vi.waitFor(() => expect(engine.sessions).toHaveLength(2), soon);
    await statusIs(session, 'pairing');
    expect(engine.sessions.map((s) => s.login)).toEqual([
      { pairWithPhoneNumber: '6282284316465' },
      { pairWithPhoneNumber: '6282284316465' },
    ]);
    expect(() => session.assertSameLogin({})).toThrow(expect.objectContaining({ code: 'login_in_progress' }));
    engine.latest.connect();
    await statusIs(session, 'connected');
    expect(session.snapshot()).not.toHaveProperty('pairingCode');
    expect(() => session.assertSameLogin({})).not.toThrow();
  });

  it('fails with start_timeout when the engine shows nothing, and stops the engine', async () => {
    vi.useFakeTimers();
    let launched!: () => void;
    const engineStarted = new Promise<void>((resolve) => (launched = resolve));
    engine.configure = (s) =>
      (s.onStart = () => {
        launched();
        return new Promise(() => {});
      });
    const session = makeSession();
    session.start();
    await engineStarted;
    await vi.advanceTimersByTimeAsync(options.startTimeoutMs - 1);
    expect(session.snapshot().status).toBe('starting');
    await vi.advanceTimersByTimeAsync(1);
    await statusIs(session, 'failed');
    expect(events.find((e) => e.event === 'session_error')?.payload).toMatchObject({ code: 'start_timeout', event: 'start_session' });
    expect(engine.latest.stopped).toBe(1);
  });

  it('reports a start rejection (a plain string, as whatsapp-web.js does) as engine_error', async () => {
    engine.configure = (s) => (s.onStart = () => Promise.reject('auth timeout'));
    const session = makeSession();
    session.start();
    await statusIs(session, 'failed');
    expect(events.find((e) => e.event === 'session_error')?.payload).toMatchObject({ code: 'engine_error', message: 'auth timeout' });
  });

  it('restarts after the browser dies and reconnects; ignores events of the dead engine session', async () => {
    engine.configure = (s) => (s.onStart = async () => s.connect());
    const session = makeSession();
    session.start();
    await vi.waitFor(() => expect(session.isConnected).toBe(true), soon);
    const first = engine.latest;
    first.listener.onDisconnected('browser_closed');
    await vi.waitFor(() => expect(names()).toHaveLength(8), soon);
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
    await handled(engine.latest);
    expect(events.some((e) => e.event === 'message_received')).toBe(false);
    expect(session.isConnected).toBe(true);
  });

  it('ends failed when the browser keeps dying', async () => {
    engine.configure = (s) => (s.onStart = async () => s.connect());
    const session = makeSession();
    session.start();
    for (let launch = 1; launch <= 1 + options.restartMaxAttempts; launch += 1) {
      await vi.waitFor(() => expect([engine.sessions.length, session.isConnected]).toEqual([launch, true]), soon);
      engine.latest.listener.onDisconnected('browser_closed');
    }
    await statusIs(session, 'failed');
    expect(engine.sessions).toHaveLength(1 + options.restartMaxAttempts);
  });

  it('treats a logout from the phone as final and deletes the stored login', async () => {
    await fs.mkdir(storage.folderOf('s1'), { recursive: true });
    engine.configure = (s) => (s.onStart = async () => s.connect());
    const session = makeSession();
    session.start();
    await vi.waitFor(() => expect(session.isConnected).toBe(true), soon);
    engine.latest.listener.onDisconnected('logged_out');
    await statusIs(session, 'disconnected');
    expect(events.at(-1)).toEqual({ event: 'session_disconnected', payload: { sessionId: 's1', reason: 'logged_out' } });
    expect(await storage.has('s1')).toBe(false);
    expect(engine.sessions).toHaveLength(1);
  });

  it('stop() while waiting for a launch slot never launches', async () => {
    const limiter = new StartLimiter(1);
    const session = makeSession({}, limiter);
    session.start();
    await session.stop();
    await limiter.run(async () => {}); // the slot comes after the session's launch task has run
    expect(engine.latest.started).toBe(0);
    expect(session.snapshot().status).toBe('stopped');
  });

  it('a stopped launch gives its slot back at once instead of holding it until START_TIMEOUT_MS', async () => {
    const limiter = new StartLimiter(1);
    engine.configure = (s) => (s.onStart = () => new Promise(() => {}));
    const hanging = makeSession({ startTimeoutMs: 10_000 }, limiter, 'hanging');
    vi.useFakeTimers();
    hanging.start();
    await vi.waitFor(() => expect(engine.latest.started).toBe(1), soon);
    engine.configure = () => {};
    const next = makeSession({ startTimeoutMs: 10_000 }, limiter, 'next');
    next.start();
    await hanging.stop();
    await statusIs(next, 'qr'); // vi.waitFor moves the fake clock by at most 1 s, well short of START_TIMEOUT_MS
  });

  it('fails with storage_failed before launching when DATA_DIR has less than DATA_DIR_MIN_FREE_MB free', async () => {
    storage = new SessionStorage(storage.dataDir, Number.MAX_SAFE_INTEGER);
    const session = makeSession();
    session.start();
    await statusIs(session, 'failed');
    expect(engine.latest.started).toBe(0);
    expect(names()).toEqual(['status:starting', 'status:failed', 'session_error']);
    expect(events.at(-1)?.payload).toMatchObject({
      code: 'storage_failed',
      event: 'start_session',
      message: expect.stringMatching(/MB free/),
    });
  });

  it('fails with storage_failed instead of connecting when its folder cannot take the login, and stops the engine', async () => {
    vi.useFakeTimers();
    const session = makeSession();
    session.start();
    await statusIs(session, 'qr');
    // A directory where the probe file goes: the folder refuses the write, even for root.
    await fs.mkdir(path.join(storage.folderOf('s1'), `.storage-probe-${process.pid}`, 'x'), { recursive: true });
    engine.latest.connect();
    await statusIs(session, 'failed');
    expect(names()).toEqual(['status:starting', 'status:qr', 'qr_code', 'status:failed', 'session_error']);
    expect(events.at(-1)?.payload).toMatchObject({ code: 'storage_failed', message: expect.stringContaining('"s1" is not writable') });
    expect(session.snapshot()).toMatchObject({ status: 'failed', isConnected: false });
    expect(engine.latest.stopped).toBe(1);
    await vi.runAllTimersAsync(); // a restart would be on a timer
    expect(engine.sessions).toHaveLength(1);
  });
});
