import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import { GatewayError } from '../../../src/protocol/errors';
import { libraryMessage } from './fake-client';
import { runningInGroup } from '../../support/processes';
import { createHarness, flush, SESSION_ID, type Harness } from './session-harness';

let h: Harness;

beforeEach(() => {
  h = createHarness();
});

afterEach(async () => {
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

  it('reports the connection once although ready fires again on every page navigation', () => {
    h.client().emit('ready');
    h.client().emit('ready');
    expect(h.listener.onConnected).toHaveBeenCalledExactlyOnceWith({ phoneNumber: '15550001234', pushname: 'Me' });
  });

  it('keeps a failing ready handler inside (client.info missing) and reports the next ready', () => {
    const info = h.client().info;
    h.client().info = undefined as unknown as wwebjs.ClientInfo;
    expect(() => h.client().emit('ready')).not.toThrow();
    expect(h.listener.onConnected).not.toHaveBeenCalled();
    h.client().info = info;
    h.client().emit('ready');
    expect(h.listener.onConnected).toHaveBeenCalledOnce();
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
      await expect(h.session.lookupNumber('6281111111111@c.us')).rejects.toMatchObject({ code: 'engine_error' });
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

  it('reports auth_failure as connection_lost, so the gateway restarts into a fresh QR', async () => {
    h.client().emit('auth_failure', 'restore failed');
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('connection_lost'));
  });

  it('reports a browser that died on its own as browser_closed, once', async () => {
    h.client().pupBrowser?.emit('disconnected');
    await vi.waitFor(() => expect(h.listener.onDisconnected).toHaveBeenCalledExactlyOnceWith('browser_closed'));
    await expect(h.session.markRead('6281111111111@c.us')).rejects.toMatchObject({
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
      h.client().emit('ready');
      await h.session.stop();
      const calls = h.client().getState.mock.calls.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(h.client().getState.mock.calls.length).toBe(calls);
    });
  });

  it('does not report the browser closing when it was asked to stop', async () => {
    await h.session.stop();
    await flush();
    expect(h.client().destroy).toHaveBeenCalledOnce();
    expect(h.listener.onDisconnected).not.toHaveBeenCalled();
  });

  it('forwards incoming messages mapped (a person, a group with media), and skips status@broadcast', () => {
    const group = '120363021234567890@g.us';
    h.client().emit('message', libraryMessage({ body: 'hi' }));
    h.client().emit(
      'message',
      libraryMessage({ from: group, author: '6282222222222@c.us', type: 'image' as wwebjs.MessageTypes, body: 'look', hasMedia: true }),
    );
    h.client().emit('message', libraryMessage({ from: 'status@broadcast', isStatus: true }));
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

  it('maps every ack value and ignores unknown ones', () => {
    for (const ack of [-1, 0, 1, 2, 3, 4, 7]) h.client().emit('message_ack', libraryMessage(), ack);
    const id = 'false_6281111111111@c.us_ABC123';
    expect(h.listener.onAck.mock.calls).toEqual([
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
      client.initialize.mockImplementation(() => {
        setTimeout(() => client.launch(), 250);
        return new Promise(() => {});
      });
      client.destroy.mockImplementation(async () => {
        browserExistedAtDestroy = client.pupBrowser !== null;
      });
    });
    const started = h.session.start().catch(() => {});
    await h.session.stop();
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
