/** `npm run start:double` (scripts/start-double.ts) as a child process: pairs by itself, echoes, stops cleanly. */
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listeningUrl, runNode } from '../support/gateway-process';
import { makeTempRoot } from '../support/sandbox-gateway';
import { connectClient, hasBrowser } from '../../double/gateway';
import { expectNoChromium, killChromium } from '../../double/processes';

describe.skipIf(!hasBrowser)('npm run start:double', { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('serves the real engine against the double: QR, self-pairing, echo; SIGTERM exits 0 leaving no Chromium', async () => {
    const root = await makeTempRoot();
    const dataDir = path.join(root, 'data');
    const run = runNode(['--import', 'tsx', 'scripts/start-double.ts'], {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MEDIA_DIR: path.join(root, 'media'),
      SANDBOX_SCAN_MS: '1000',
      LOG_LEVEL: 'info',
      ...(process.env.CHROME_PATH && { CHROME_PATH: process.env.CHROME_PATH }),
    });
    const { child, exited } = run;
    const seen: { cacheDir?: string } = {};
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      killChromium(dataDir);
      await fs.rm(root, { recursive: true, force: true });
      if (seen.cacheDir) await fs.rm(seen.cacheDir, { recursive: true, force: true }); // left when the script was killed
    });

    const url = await listeningUrl(run);
    const cacheDir = /"webCacheDir":"([^"]+)"/.exec(run.output())?.[1];
    expect(cacheDir).toBeDefined();
    seen.cacheDir = cacheDir;

    const log = await connectClient(url);
    try {
      await log.client.startSession('demo');
      const qr = await log.next('qr_code', (q) => q.sessionId === 'demo');
      expect(qr.qrCode).toMatch(/^data:image\/png;base64,/);
      const connected = await log.next('session_connected', (c) => c.sessionId === 'demo');
      expect(connected).toMatchObject({ phoneNumber: '15550001234', pushname: 'Double' });
      expect(connected.at).toBeGreaterThan(qr.at); // the double "scanned" SANDBOX_SCAN_MS after showing it

      const sent = await log.client.sendMessage({ sessionId: 'demo', to: '6281111111111', message: 'ping' });
      const echo = await log.next('message_received', (m) => m.sessionId === 'demo' && m.message.text === 'echo: ping');
      expect(echo.message).toMatchObject({ from: '6281111111111', type: 'text', hasMedia: false });
      await log.next('message_ack', (a) => a.messageId === sent.messageId && a.ack === 'read');
      expect(await log.client.checkPhoneNumber('demo', '6281111111000')).toMatchObject({ exists: false });
      expect(existsSync(path.join(dataDir, 'session-demo'))).toBe(true);
    } finally {
      log.client.close();
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expectNoChromium(dataDir);
    expect(existsSync(cacheDir!)).toBe(false); // the temp copy of the double is removed on exit
  });
});
