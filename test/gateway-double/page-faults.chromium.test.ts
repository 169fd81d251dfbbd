/**
 * The page changing under whatsapp-web.js, in the gateway as operators run it (src/main.ts in a child
 * process, real engine, the double): reloads, a navigation to a page the library cannot hook into
 * (its re-inject rejects), and a logout from the phone (the browser closes under the library's
 * re-inject). The process must stay up and answer, the session recover or report, and none of the
 * library's rejections may go unhandled (main.ts would log "unhandled rejection"; without its handler
 * Node would exit).
 */
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDoubleCache, reload, sentMessages } from '../../double/harness';
import { startMain, type GatewayProcess } from '../support/gateway-process';
import { makeTempRoot } from '../support/sandbox-gateway';
import { connectClient, hasBrowser, phone, PHONE_PORT_FLAG, scanFromPhone, type EventLog, type Phone } from '../../double/gateway';
import { expectNoChromium, killChromium } from '../../double/processes';
import { waitUntil } from './support';

const SESSION = 'nav';
const CONTACT = '6281111111111';
/** Looks like WhatsApp Web to the library's first check (window.Debug.VERSION), then has no modules. */
const BROKEN_PAGE = `data:text/html,<title>not WhatsApp</title><script>window.Debug = { VERSION: '2.3000.1017054665' };</script>`;

describe.skipIf(!hasBrowser)('the page changing under the library, gateway in a child process', { timeout: 60_000 }, () => {
  let root: string;
  let dataDir: string;
  let main: GatewayProcess | undefined;
  let log: EventLog;
  let device: Phone | undefined;

  beforeAll(async () => {
    root = await makeTempRoot();
    dataDir = path.join(root, 'data');
    const cache = prepareDoubleCache(path.join(root, 'web-cache'));
    main = await startMain({
      WA_ENGINE: 'wwebjs',
      WWEBJS_WEB_VERSION: cache.webVersion,
      WWEBJS_WEB_CACHE_DIR: cache.webVersionCache.path,
      DATA_DIR: dataDir,
      MEDIA_DIR: path.join(root, 'media'),
      RESTART_BASE_DELAY_MS: '200',
      CHROME_ARGS: PHONE_PORT_FLAG, // for the phone; the gateway's own connection stays its pipe
      ...(process.env.CHROME_PATH && { CHROME_PATH: process.env.CHROME_PATH }),
    });
    log = await connectClient(main.url);
    const after = log.mark();
    await log.client.startSession(SESSION);
    await log.next('qr_code', (q) => q.sessionId === SESSION, { after });
    device = await phone(dataDir, SESSION);
    await scanFromPhone(device);
    await log.next('session_connected', (c) => c.sessionId === SESSION, { after });
  });

  afterAll(async () => {
    await device?.disconnect();
    log?.client.close();
    if (main && main.child.exitCode === null) {
      main.child.kill('SIGTERM');
      const code = await Promise.race([main.exited, new Promise((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
      if (code === 'hung') main.child.kill('SIGKILL');
      expect(code).toBe(0);
    }
    const leftovers = killChromium(dataDir);
    await fs.rm(root, { recursive: true, force: true });
    expect(leftovers).toBe(0);
  });

  const unhandled = () =>
    main!
      .output()
      .split('\n')
      .filter((line) => line.includes('unhandled rejection'));

  async function expectAlive(): Promise<void> {
    expect(main!.child.exitCode).toBeNull();
    expect(Array.isArray(await log.client.getActiveSessions())).toBe(true);
    expect(unhandled()).toEqual([]);
  }

  it('reloads of WhatsApp Web keep the session connected and working', async () => {
    const after = log.mark();
    for (let i = 0; i < 3; i += 1) {
      await reload(device!.page);
      await device!.page.waitForFunction(() => typeof (window as { WWebJS?: unknown }).WWebJS === 'object', { timeout: 15_000 });
    }
    const sent = await log.client.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'after three reloads' });
    expect((await sentMessages(device!.page)).map((m) => m.id)).toEqual([sent.messageId]);
    expect(log.since('session_disconnected', SESSION, after)).toEqual([]);
    expect(log.since('session_connected', SESSION, after)).toEqual([]); // reported once, not once per page load
    expect(log.statuses(SESSION, after)).toEqual([]);
    await expectAlive();
  });

  it('a navigation to a page the library cannot hook into: its re-inject rejects, the session reports and restarts', async () => {
    const after = log.mark();
    await device!.page.goto(BROKEN_PAGE);
    await device!.disconnect();
    device = undefined;
    const disconnected = await log.next('session_disconnected', (d) => d.sessionId === SESSION, { after });
    expect(disconnected.reason).toBe('connection_lost');
    await log.next('session_connected', (c) => c.sessionId === SESSION, { after });
    expect(log.statuses(SESSION, after)).toEqual(['reconnecting', 'starting', 'connected']);
    expect(log.since('qr_code', SESSION, after)).toEqual([]);
    expect(main!.output()).toMatch(/WhatsApp Web could not be re-attached after a page load/);
    await log.client.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'after the restart' });
    await expectAlive();
  });

  it('a logout from the phone closes the browser under the library: reported, nothing left, process up', async () => {
    device = await phone(dataDir, SESSION);
    const after = log.mark();
    await device.page.evaluate(() => window.WADouble.logoutFromPhone());
    const disconnected = await log.next('session_disconnected', (d) => d.sessionId === SESSION, { after });
    expect(disconnected.reason).toBe('logged_out');
    await device.disconnect();
    device = undefined;
    await waitUntil('the profile folder to go', () => !existsSync(path.join(dataDir, `session-${SESSION}`)), 15_000);
    await expectNoChromium(dataDir);
    await new Promise((resolve) => setTimeout(resolve, 500)); // no event says none is coming: give a late rejection 500 ms to be logged
    await expectAlive();
    expect(await log.client.getAvailableSessions()).toEqual([]);
  });
});
