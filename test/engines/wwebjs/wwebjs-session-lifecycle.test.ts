import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import { GatewayError } from '../../../src/protocol/errors';
import { PHONES_OF_LIDS, READ_PAGE_STATE, FINISH_LIBRARY_SYNC, RESTORE_MESSAGE_KEYS } from '../../../src/engines/wwebjs/page-scripts';
import { libraryMessage } from './fake-client';
import { runningInGroup } from '../../support/processes';
import { createHarness, flush, SESSION_ID, TEST_TIMEOUTS, type Harness } from './session-harness';

let h: Harness;

beforeEach(() => {
  h = createHarness();
});

afterEach(async () => {
  vi.useRealTimers();
  await h.cleanup();
});

function profile(): string {
  return path.join(h.dataDir, `session-${SESSION_ID}`);
}

describe('start', () => {
  it('builds the client with LocalAuth in DATA_DIR, the lean launch flags, and no QR limit of its own', async () => {
    await h.session.start();
    const options = h.client().options;
    expect(options.authStrategy).toBeInstanceOf(wwebjs.LocalAuth);
    expect(options.authStrategy).toMatchObject({ clientId: SESSION_ID, dataPath: h.dataDir });
    expect(options.puppeteer).toMatchObject({ executablePath: process.execPath, headless: true });
    expect(options.puppeteer?.args).toEqual(expect.arrayContaining(['--no-sandbox', '--renderer-process-limit=1', '--lang=en']));
    expect(options.qrMaxRetries).toBe(0);
    expect(h.client().initialize).toHaveBeenCalledOnce();
  });

  it('rejects with browser_not_found, before creating a client, when CHROME_PATH is wrong', async () => {
    await h.cleanup();
    h = createHarness({ chromePath: '/nonexistent/chrome' });
    await expect(h.session.start()).rejects.toMatchObject({ code: 'browser_not_found' });
    expect(h.clients).toHaveLength(0);
  });

  it('clears a profile lock left by another host before launching', async () => {
    fs.mkdirSync(profile(), { recursive: true });
    fs.symlinkSync('old-container-1234', path.join(profile(), 'SingletonLock'));
    await h.session.start();
    expect(fs.existsSync(path.join(profile(), 'SingletonLock'))).toBe(false);
  });

  it('wraps a plain-string rejection in an engine_error and closes the browser it launched', async () => {
    h.prepareClient((client) =>
      client.initialize.mockImplementation(async () => {
        client.launch();
        throw 'auth timeout';
      }),
    );
    const failure = await h.session.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ code: 'engine_error', message: 'auth timeout' });
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('is single use', async () => {
    await h.session.start();
    await expect(h.session.start()).rejects.toMatchObject({ code: 'engine_error' });
    expect(h.clients).toHaveLength(1);
  });
});

describe('events', () => {
  beforeEach(async () => {
    await h.session.start();
  });

  it('passes QR codes on and only logs authenticated', () => {
    h.client().emit('qr', '2@abc');
    h.client().emit('authenticated');
    expect(h.listener.onQr).toHaveBeenCalledWith('2@abc');
    expect(h.listener.onConnected).not.toHaveBeenCalled();
  });

  it('mends message keys on every ready (each page load brings them back) and reports the connection once, with the version', async () => {
    h.client().emit('ready');
    h.client().emit('ready');
    await vi.waitFor(() => expect(h.client().pupPage!.scriptCalls(RESTORE_MESSAGE_KEYS)).toHaveLength(2));
    await vi.waitFor(() => expect(h.listener.onConnected).toHaveBeenCalled());
    await flush();
    expect(h.listener.onConnected).toHaveBeenCalledExactlyOnceWith({
      phoneNumber: '15550001234',
      pushname: 'Me',
      webVersion: '2.3000.1043140922',
    });
  });

  it('connects without a version when the page does not say it, and with keys it could not check', async () => {
    h.client().getWWebVersion.mockRejectedValue(new Error('Debug is not defined'));
    h.client().pupPage!.answer(RESTORE_MESSAGE_KEYS, () => {
      throw new Error('module not found');
    });
    h.client().emit('ready');
    await vi.waitFor(() => expect(h.listener.onConnected).toHaveBeenCalledExactlyOnceWith({ phoneNumber: '15550001234', pushname: 'Me' }));
  });

  it('keeps a failing ready handler inside (client.info missing) and reports the next ready', async () => {
    const info = h.client().info;
    h.client().info = undefined as unknown as wwebjs.ClientInfo;
    expect(() => h.client().emit('ready')).not.toThrow();
    await vi.waitFor(() => expect(h.client().getWWebVersion).toHaveBeenCalled());
    await flush();
    expect(h.listener.onConnected).not.toHaveBeenCalled();
    h.client().info = info;
    h.client().emit('ready');
    await vi.waitFor(() => expect(h.listener.onConnected).toHaveBeenCalledOnce());
  });

  it('never lets a throwing listener reach the library', () => {
    h.listener.onQr.mockImplementation(() => {
      throw new Error('listener bug');
    });
    expect(() => h.client().emit('qr', '2@abc')).not.toThrow();
  });

  describe('a logout from the phone', () => {
    beforeEach(() => {
      fs.mkdirSync(profile(), { recursive: true });
    });

    it('waits for the library to be done with the profile (its new QR), then closes, deletes it and reports logged_out', async () => {
      h.client().emit('disconnected', 'LOGOUT');
      await flush();
      expect(h.client().destroy).not.toHaveBeenCalled();

      h.client().emit('qr', '2@after-logout');
      await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('logged_out'));
      expect(h.client().destroy).toHaveBeenCalledOnce();
      expect(fs.existsSync(profile())).toBe(false);
      expect(h.listener.onQr).not.toHaveBeenCalled();
      await expect(h.session.contacts.lookupNumber('6281111111111@c.us')).rejects.toMatchObject({ code: 'engine_error' });
    });

    it('does not wait for that QR for ever', async () => {
      h.client().emit('disconnected', 'LOGOUT');
      await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('logged_out'));
      expect(fs.existsSync(profile())).toBe(false);
    });
  });

  it.each(['CONFLICT', 'UNPAIRED', 'Max qrcode retries reached'])('reports disconnected(%s) as connection_lost', async (reason) => {
    h.client().emit('disconnected', reason);
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('connection_lost'));
    expect(h.client().destroy).toHaveBeenCalledOnce();
  });

  // The 2026 phone logout (logout_from_bridge) drops the socket to UNPAIRED; the library reports that state.
  it.each(['UNPAIRED', 'UNPAIRED_IDLE'])(
    'once connected, disconnected(%s) is a logout: logged_out, stored login deleted',
    async (reason) => {
      fs.mkdirSync(profile(), { recursive: true });
      h.client().emit('ready');
      await vi.waitFor(() => expect(h.listener.onConnected).toHaveBeenCalled());
      h.client().emit('disconnected', reason);
      await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('logged_out'));
      expect(h.client().destroy).toHaveBeenCalledOnce();
      expect(fs.existsSync(profile())).toBe(false);
    },
  );

  it('reports auth_failure as connection_lost, so the gateway restarts into a fresh QR', async () => {
    h.client().emit('auth_failure', 'restore failed');
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('connection_lost'));
  });

  it('reports a browser that died on its own as browser_closed, once', async () => {
    h.client().pupBrowser?.emit('disconnected');
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('browser_closed'));
    await expect(h.session.messaging.markRead('6281111111111@c.us')).rejects.toMatchObject({
      code: 'engine_error',
      message: 'the browser closed unexpectedly',
    });
  });

  it('reports a crashed page as browser_closed', async () => {
    h.client().pupPage?.emit('error', new Error('Page crashed!'));
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('browser_closed'));
  });

  describe('the liveness probe', () => {
    it('forgives one failed probe (a page in the middle of a reload)', async () => {
      h.client().getState.mockRejectedValueOnce(new Error('Execution context was destroyed'));
      h.client().emit('ready');
      await vi.waitFor(() => expect(h.client().getState.mock.calls.length).toBeGreaterThanOrEqual(4));
      expect(h.listener.onDisconnected).not.toHaveBeenCalled();
    });

    it('asks a connected page for its state and lets a healthy one be', async () => {
      h.client().emit('ready');
      await vi.waitFor(() => expect(h.client().getState.mock.calls.length).toBeGreaterThanOrEqual(3));
      expect(h.listener.onDisconnected).not.toHaveBeenCalled();
    });

    it.each([
      ['fails', () => Promise.reject(new Error('Protocol error: Target closed'))],
      ['never answers', () => new Promise<never>(() => {})],
    ])('reports connection_lost when the page %s', async (_, getState) => {
      h.client().getState.mockImplementation(getState as never);
      h.client().emit('ready');
      await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('connection_lost'));
      expect(h.client().destroy).toHaveBeenCalledOnce();
    });

    it('stops asking once the session stops', async () => {
      vi.useFakeTimers();
      h.client().emit('ready');
      await vi.waitFor(() => expect(h.client().getState).toHaveBeenCalled()); // the probe runs on the fake clock
      await h.session.stop();
      const calls = h.client().getState.mock.calls.length;
      await vi.advanceTimersByTimeAsync(TEST_TIMEOUTS.livenessMs * 4);
      expect(h.client().getState.mock.calls.length).toBe(calls);
    });
  });

  it('does not report the browser closing when it was asked to stop', async () => {
    await h.session.stop();
    await flush();
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('forwards incoming messages mapped (a person, a group with media), and skips status@broadcast', async () => {
    const group = '120363021234567890@g.us';
    h.client().emit('message', libraryMessage({ body: 'hi' }));
    h.client().emit(
      'message',
      libraryMessage({ from: group, author: '6282222222222@c.us', type: 'image' as wwebjs.MessageTypes, body: 'look', hasMedia: true }),
    );
    h.client().emit('message', libraryMessage({ from: 'status@broadcast', isStatus: true }));
    await vi.waitFor(() => expect(h.listener.onMessage).toHaveBeenCalledTimes(2));
    expect(h.listener.onMessage.mock.calls).toEqual([
      [expect.objectContaining({ from: '6281111111111', chatId: '6281111111111@c.us', text: 'hi', type: 'text', isGroup: false })],
      [
        expect.objectContaining({
          from: group,
          author: '6282222222222',
          chatId: group,
          text: 'look',
          type: 'image',
          hasMedia: true,
          isGroup: true,
        }),
      ],
    ]);
  });

  it('maps every ack value (-7 … -1 are failures) and passes on no unknown one (5, PEER)', () => {
    for (const ack of [-7, -1, 0, 1, 2, 3, 4, 5, 7]) h.client().emit('message_ack', libraryMessage(), ack);
    const id = 'false_6281111111111@c.us_ABC123';
    expect(h.listener.onAck.mock.calls).toEqual([
      [id, 'error'],
      [id, 'error'],
      [id, 'pending'],
      [id, 'server'],
      [id, 'device'],
      [id, 'read'],
      [id, 'played'],
    ]);
  });
});

describe('stop', () => {
  it('resolves without a client when the session never started', async () => {
    await h.session.stop();
    expect(h.clients).toHaveLength(0);
    await expect(h.session.start()).rejects.toMatchObject({ code: 'session_stopped' });
  });

  it('is idempotent', async () => {
    await h.session.start();
    await Promise.all([h.session.stop(), h.session.stop()]);
    await h.session.stop();
    expect(h.client().destroy).toHaveBeenCalledOnce();
  });

  it('closes the browser while initialize() still hangs, and start() then rejects with session_stopped', async () => {
    h.prepareClient((client) =>
      client.initialize.mockImplementation(() => {
        client.launch();
        return new Promise(() => {});
      }),
    );
    const started = h.session.start();
    await flush();
    await h.session.stop();
    await expect(started).rejects.toMatchObject({ code: 'session_stopped' });
    expect(h.client().destroy).toHaveBeenCalledOnce();
  });

  it('waits for a browser that is still launching, so it does not outlive the session', async () => {
    let browserExistedAtDestroy = false;
    h.prepareClient((client) => {
      client.initialize.mockImplementation(() => new Promise(() => {})); // launching until the test says launched
      client.destroy.mockImplementation(async () => {
        browserExistedAtDestroy = client.pupBrowser !== null;
      });
    });
    const started = h.session.start().catch(() => {});
    const stopped = h.session.stop();
    await flush(); // a stop that does not wait for the browser has called destroy() by now
    expect(h.client().destroy).not.toHaveBeenCalled();
    h.client().launch();
    await stopped;
    await started;
    expect(browserExistedAtDestroy).toBe(true);
  });

  describe('with a real process group standing in for Chromium', () => {
    let browser: ChildProcess;

    beforeEach(async () => {
      // A group leader with a child of its own, like Chromium and its renderers.
      browser = spawn('sh', ['-c', 'sleep 60 & wait'], { detached: true, stdio: 'ignore' });
      await vi.waitFor(() => expect(runningInGroup(browser.pid!)).toHaveLength(2));
      h.prepareClient((client) => (client.browserProcess = browser));
    });

    afterEach(() => {
      if (runningInGroup(browser.pid!).length > 0) process.kill(-browser.pid!, 'SIGKILL');
    });

    it('kills the whole group when destroy() hangs', async () => {
      await h.session.start();
      h.client().destroy.mockImplementation(() => new Promise(() => {}));
      const exited = new Promise((resolve) => browser.once('exit', (_code, signal) => resolve(signal)));
      await h.session.stop();
      expect(await exited).toBe('SIGKILL');
      await vi.waitFor(() => expect(runningInGroup(browser.pid!)).toEqual([]));
    });

    it('kills the whole group when destroy() rejects', async () => {
      await h.session.start();
      h.client().destroy.mockRejectedValue(new Error('Protocol error: Connection closed'));
      await h.session.stop();
      await vi.waitFor(() => expect(runningInGroup(browser.pid!)).toEqual([]));
    });
  });
});

describe('logout', () => {
  beforeEach(async () => {
    await h.session.start();
    fs.mkdirSync(profile(), { recursive: true });
    fs.writeFileSync(path.join(profile(), 'Cookies'), 'x');
  });

  it("unlinks, closes the browser and deletes the stored login, without reporting the library's LOGOUT echo", async () => {
    h.client().logout.mockImplementation(async () => {
      h.client().emit('disconnected', 'LOGOUT');
    });
    await h.session.logout();
    expect(h.client().logout).toHaveBeenCalledOnce();
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(fs.existsSync(profile())).toBe(false);
    await flush();
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('still closes the browser and deletes the login when WhatsApp cannot be told, then rejects', async () => {
    h.client().logout.mockRejectedValue('Evaluation failed: Target closed');
    await expect(h.session.logout()).rejects.toMatchObject({
      code: 'engine_error',
      message: expect.stringContaining('Target closed'),
    });
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(fs.existsSync(profile())).toBe(false);
  });
});

describe('LID senders', () => {
  const LID = '211111111118260@lid';

  beforeEach(async () => {
    await h.session.start();
  });

  it('gives the phone number the page knows for a LID, and keeps arrival order whatever the lookups take', async () => {
    let answer!: (phones: Record<string, string>) => void;
    h.client().pupPage!.answer(PHONES_OF_LIDS, () => new Promise((resolve) => (answer = resolve)));
    h.client().emit('message', libraryMessage({ id: { fromMe: false, remote: LID, id: 'L1', _serialized: `false_${LID}_L1` }, from: LID }));
    h.client().emit('message', libraryMessage({ body: 'second' }));
    await flush();
    expect(h.listener.onMessage).not.toHaveBeenCalled(); // the second waits behind the first's lookup
    answer({ [LID]: '6281111111111@c.us' });
    await vi.waitFor(() => expect(h.listener.onMessage).toHaveBeenCalledTimes(2));
    expect(h.listener.onMessage.mock.calls.map(([m]) => [m.from, m.fromLid, m.chatId])).toEqual([
      ['6281111111111', LID, LID],
      ['6281111111111', undefined, '6281111111111@c.us'],
    ]);
  });

  it('asks the page about a LID once, and leaves `from` as the LID when no number is known', async () => {
    h.client().pupPage!.answer(PHONES_OF_LIDS, () => ({}));
    for (const id of ['L1', 'L2'])
      h.client().emit('message', libraryMessage({ id: { fromMe: false, remote: LID, id, _serialized: `false_${LID}_${id}` }, from: LID }));
    await vi.waitFor(() => expect(h.listener.onMessage).toHaveBeenCalledTimes(2));
    expect(h.listener.onMessage.mock.calls.map(([m]) => [m.from, m.fromLid])).toEqual([
      [LID, LID],
      [LID, LID],
    ]);
    expect(h.client().pupPage!.scriptCalls(PHONES_OF_LIDS)).toEqual([[LID]]);
  });

  it('a page that cannot answer the lookup still delivers the message, by its LID', async () => {
    h.client().pupPage!.answer(PHONES_OF_LIDS, () => {
      throw new Error('Execution context was destroyed');
    });
    h.client().emit('message', libraryMessage({ from: LID, id: { fromMe: false, remote: LID, id: 'L1', _serialized: `false_${LID}_L1` } }));
    await vi.waitFor(() => expect(h.listener.onMessage).toHaveBeenCalledOnce());
    expect(h.listener.onMessage.mock.calls[0]![0]).toMatchObject({ from: LID, fromLid: LID });
  });
});

describe('a login whose ready never comes', () => {
  /** A client that injects itself like the real one: initialize() runs inject(), which the session watches. */
  function injectingClient(page: { state: string; hasSynced: boolean }) {
    h.prepareClient((client) => {
      client.inject = vi.fn(async () => {});
      client.initialize.mockImplementation(async () => {
        client.launch();
        await client.inject!();
      });
      client.preparePage = (fake) => fake.answer(READ_PAGE_STATE, () => ({ ...page, libraryLoaded: false }));
    });
  }

  it("hands a page that synced before the library listened to the library's own sync handler, then connects", async () => {
    injectingClient({ state: 'CONNECTED', hasSynced: true });
    await h.session.start();
    h.client().pupPage!.answer(FINISH_LIBRARY_SYNC, () => void h.client().emit('ready'));
    await vi.waitFor(() => expect(h.listener.onConnected).toHaveBeenCalledOnce());
    expect(h.client().pupPage!.scriptCalls(FINISH_LIBRARY_SYNC)).toHaveLength(1);
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it(`reports ready_timeout (so the gateway restarts the browser) when the page never gets there`, async () => {
    injectingClient({ state: 'CONNECTED', hasSynced: false });
    await h.session.start();
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('ready_timeout'));
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(h.client().pupPage!.scriptCalls(FINISH_LIBRARY_SYNC)).toEqual([]); // never synced: nothing to hand over
    expect(h.listener.onConnected).not.toHaveBeenCalled();
  });

  it('reports ready_timeout on time even when the page stops answering in the middle (a reload that hangs)', async () => {
    vi.useFakeTimers();
    try {
      h.prepareClient((client) => {
        client.inject = vi.fn(async () => {});
        client.initialize.mockImplementation(async () => {
          client.launch();
          await client.inject!();
        });
        let answered = 0;
        client.preparePage = (fake) =>
          fake.answer(READ_PAGE_STATE, () =>
            answered++ === 0 ? { state: 'CONNECTED', hasSynced: false, libraryLoaded: false } : new Promise(() => {}),
          );
      });
      await h.session.start();
      // Every probe after the first hangs for good; the deadline holds regardless of them.
      await vi.advanceTimersByTimeAsync(TEST_TIMEOUTS.readyTimeoutMs + 3 * TEST_TIMEOUTS.readyPollMs);
      expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('ready_timeout');
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits for ever on a page that shows a QR (nobody scanned it yet): the QR limit ends those', async () => {
    injectingClient({ state: 'UNPAIRED', hasSynced: false });
    await h.session.start();
    await vi.waitFor(() => expect(h.client().pupPage!.scriptCalls(READ_PAGE_STATE).length).toBeGreaterThan(25)); // > readyTimeoutMs
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('stops watching once ready came', async () => {
    vi.useFakeTimers();
    injectingClient({ state: 'CONNECTED', hasSynced: true });
    await h.session.start();
    await vi.waitFor(() => expect(h.client().pupPage!.scriptCalls(READ_PAGE_STATE).length).toBeGreaterThan(0)); // on the fake clock
    h.client().emit('ready');
    await vi.waitFor(() => expect(h.listener.onConnected).toHaveBeenCalledOnce());
    const probes = h.client().pupPage!.scriptCalls(READ_PAGE_STATE).length;
    await vi.advanceTimersByTimeAsync(TEST_TIMEOUTS.readyPollMs * 5);
    expect(h.client().pupPage!.scriptCalls(READ_PAGE_STATE)).toHaveLength(probes);
  });
});
