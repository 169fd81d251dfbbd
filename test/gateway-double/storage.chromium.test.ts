/**
 * The real engine on a disk that cannot take the login: Chromium pairs regardless (it does not say
 * when its profile cannot be written), so the gateway's own check when the session connects must
 * report it. The profile folder refuses the gateway's write probe (a directory where the probe file
 * goes fails even for root), which stands in for a disk that filled while the QR waited.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRoot } from '../support/sandbox-gateway';
import { expectNoChromium } from '../../double/processes';
import { closeAndCheckClean } from './support';
import { hasBrowser, phone, scanFromPhone, startDoubleGateway, type DoubleGateway, type EventLog } from '../../double/gateway';

describe.skipIf(!hasBrowser)('a login that cannot be stored, real Chromium through the double', { timeout: 90_000 }, () => {
  let root: string;
  let gw: DoubleGateway | undefined;
  let log: EventLog;

  beforeAll(async () => {
    root = await makeTempRoot();
    gw = await startDoubleGateway(root);
    log = await gw.client();
  });

  afterAll(async () => {
    await closeAndCheckClean(gw, root);
  });

  it('a pairing on a disk that filled meanwhile: storage_failed, status failed, browser closed, never connected', async () => {
    const after = log.mark();
    await log.client.startSession('unsaved');
    await log.next('qr_code', (q) => q.sessionId === 'unsaved', { after });
    await fs.mkdir(path.join(gw!.dataDir, 'session-unsaved', `.storage-probe-${process.pid}`, 'x'), { recursive: true });
    const device = await phone(gw!.dataDir, 'unsaved');
    try {
      await scanFromPhone(device);
    } finally {
      await device.disconnect();
    }
    const error = await log.next('session_error', (e) => e.sessionId === 'unsaved', { after });
    expect(error).toMatchObject({
      code: 'storage_failed',
      event: 'start_session',
      message: expect.stringContaining('"unsaved" is not writable'),
    });
    expect(log.since('session_connected', 'unsaved', after)).toEqual([]);
    expect(log.statuses('unsaved', after).at(-1)).toBe('failed');
    expect(await log.client.getSessionStatus('unsaved')).toMatchObject({ status: 'failed', isConnected: false });
    await expectNoChromium(gw!.dataDir, 'unsaved', 10_000);
  });
});
