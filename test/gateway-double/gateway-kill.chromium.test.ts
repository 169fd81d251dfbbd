/**
 * No Chromium outlives a gateway killed with kill -9, and the next gateway on the same DATA_DIR
 * restores the login without a QR. The gateway runs as operators run it (`npm run start:double`: the
 * real engine against the WhatsApp Web double, which pairs by itself), with the shipped launch flags.
 */
import { promises as fs, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { killProcessGroup } from '../../src/engines/wwebjs/browser';
import { startMain, type GatewayProcess } from '../support/gateway-process';
import { runningInGroup } from '../support/processes';
import { makeTempRoot } from '../support/sandbox-gateway';
import { browserMainPid, chromiumProcesses, expectNoChromium, killChromium } from '../../double/processes';
import { connectClient, hasBrowser, type EventLog } from '../../double/gateway';
import { waitUntil } from './support';

const SESSION = 'survivor';

describe.skipIf(!hasBrowser)('kill -9 of the gateway, real Chromium through the double', { timeout: 90_000 }, () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startDouble(root: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
    const gateway = await startMain(
      {
        DATA_DIR: path.join(root, 'data'),
        MEDIA_DIR: path.join(root, 'media'),
        SANDBOX_SCAN_MS: '500',
        ...(process.env.CHROME_PATH && { CHROME_PATH: process.env.CHROME_PATH }),
        ...env,
      },
      { entry: 'scripts/start-double.ts' },
    );
    cleanups.push(async () => {
      gateway.child.kill('SIGKILL');
      // start-double removes its copy of the double on exit, which kill -9 prevents.
      const cacheDir = /"webCacheDir":"([^"]+)"/.exec(gateway.output())?.[1];
      if (cacheDir) await fs.rm(cacheDir, { recursive: true, force: true });
    });
    return gateway;
  }

  async function client(gateway: GatewayProcess): Promise<EventLog> {
    const log = await connectClient(gateway.url);
    cleanups.push(() => log.client.close());
    return log;
  }

  /** Pairs (the double scans its own QR), then stops and starts again, which writes the login to disk. */
  async function pairAndPersist(log: EventLog): Promise<void> {
    await log.client.startSession(SESSION);
    await log.next('session_connected', (c) => c.sessionId === SESSION);
    await log.client.stopSession(SESSION);
    const after = log.mark();
    await log.client.startSession(SESSION);
    await log.next('session_connected', (c) => c.sessionId === SESSION, { after });
    expect(log.since('qr_code', SESSION, after)).toEqual([]);
  }

  /** A second gateway on the same DATA_DIR restores the session: connected, and no QR ever shown. */
  async function expectRestoredWithoutQr(root: string): Promise<GatewayProcess> {
    // A QR would stay on screen: the double would scan it only after ten minutes.
    const restarted = await startDouble(root, { SANDBOX_SCAN_MS: '600000' });
    const log = await client(restarted);
    await vi.waitFor(async () => expect(await log.client.getSessionStatus(SESSION)).toMatchObject({ status: 'connected' }), {
      timeout: 30_000,
      interval: 100,
    });
    const statuses = () =>
      restarted
        .output()
        .split('\n')
        .filter((line) => line.includes(`"sessionId":"${SESSION}"`) && line.includes('"msg":"session status"'))
        .map((line) => (JSON.parse(line) as { status: string }).status);
    await vi.waitFor(() => expect(statuses()).toContain('connected')); // the log line may trail the answer
    expect(statuses()).toEqual(['starting', 'connected']);
    return restarted;
  }

  async function stopGracefully(gateway: GatewayProcess, dataDir: string): Promise<void> {
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    await expectNoChromium(dataDir);
  }

  it('after kill -9 of the gateway no Chromium of its sessions lives 3 s later, and the login restores without a QR', async () => {
    const root = await makeTempRoot();
    const dataDir = path.join(root, 'data');
    cleanups.push(async () => {
      killChromium(dataDir);
      await fs.rm(root, { recursive: true, force: true });
    });
    const first = await startDouble(root);
    await pairAndPersist(await client(first));

    const browser = browserMainPid(dataDir, SESSION)!;
    expect(chromiumProcesses(dataDir, SESSION).length).toBeGreaterThan(3); // browser, zygotes, GPU, utilities, renderer
    const cmdline = readFileSync(`/proc/${browser}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('--remote-debugging-pipe');
    expect(cmdline.some((arg) => arg.startsWith('--remote-debugging-port'))).toBe(false);

    first.child.kill('SIGKILL');
    const deadline = Date.now() + 3000;
    await first.exited;
    await expectNoChromium(dataDir, undefined, 3000); // polls; throws with what is left after 3 s
    // The rest of the browser's process group (crashpad handlers carry no profile path) within the same 3 s.
    await waitUntil(
      "the rest of the browser's process group to end",
      () => runningInGroup(browser).length === 0,
      Math.max(0, deadline - Date.now()),
      25,
    );

    await stopGracefully(await expectRestoredWithoutQr(root), dataDir);
  });

  it('after kill -9 of the gateway and its browser together (a killed container), the stale profile lock is cleared and the login restores', async () => {
    const root = await makeTempRoot();
    const dataDir = path.join(root, 'data');
    cleanups.push(async () => {
      killChromium(dataDir);
      await fs.rm(root, { recursive: true, force: true });
    });
    const first = await startDouble(root);
    await pairAndPersist(await client(first));

    const browser = browserMainPid(dataDir, SESSION)!;
    killProcessGroup(browser); // first, so that it cannot notice the closed pipe and tidy up
    first.child.kill('SIGKILL');
    await first.exited;
    await expectNoChromium(dataDir);
    const lock = path.join(dataDir, `session-${SESSION}`, 'SingletonLock');
    expect(readlinkSync(lock)).toBe(`${os.hostname()}-${browser}`);

    const restarted = await expectRestoredWithoutQr(root);
    expect(restarted.output()).toMatch(new RegExp(`"sessionId":"${SESSION}".*"msg":"removed a stale browser profile lock"`));
    const newBrowser = browserMainPid(dataDir, SESSION);
    expect(readlinkSync(lock)).toBe(`${os.hostname()}-${newBrowser}`); // taken again, by the new browser
    await stopGracefully(restarted, dataDir);
  });
});
