/**
 * A DATA_DIR that cannot store logins, through the API (sandbox): reported by /readyz and by each
 * session it fails, never left looking healthy. Two injections stand in for a full disk without
 * mounting anything: DATA_DIR_MIN_FREE_MB above the real free space, and files the kernel refuses to
 * write (/dev/full answers every write with ENOSPC; a directory where a file should go fails even for
 * root).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

/** More MiB than any disk has. */
const NO_DISK_IS_THAT_BIG = String(2 ** 40);

describe('storage that cannot take a login (sandbox)', () => {
  const gateways: TestGateway[] = [];
  const start = async (env: Record<string, string>, root?: string) => {
    const gateway = await startSandboxGateway(env, root);
    gateways.push(gateway);
    return gateway;
  };
  afterEach(async () => {
    for (const gateway of gateways.splice(0)) await gateway.shutdown();
  });

  it('/readyz answers 503 below DATA_DIR_MIN_FREE_MB, saying how much is free', async () => {
    const gateway = await start({ DATA_DIR_MIN_FREE_MB: NO_DISK_IS_THAT_BIG });
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(503);
    expect((await response.json()).checks.storage).toMatch(
      /^DATA_DIR has \d+\.\d MB free, less than DATA_DIR_MIN_FREE_MB \(1099511627776\.0 MB\)$/,
    );
  });

  it('/readyz answers 503 when a write to DATA_DIR fails with ENOSPC', async () => {
    const gateway = await start({});
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    await fs.symlink('/dev/full', path.join(gateway.config.dataDir, `.storage-probe-${process.pid}`));
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(503);
    expect((await response.json()).checks.storage).toBe('DATA_DIR is not writable (ENOSPC)');
  });

  it('a launch on a DATA_DIR below DATA_DIR_MIN_FREE_MB fails with storage_failed before any QR', async () => {
    const gateway = await start({ DATA_DIR_MIN_FREE_MB: NO_DISK_IS_THAT_BIG });
    const client = await gateway.client();
    const statuses = collect(client, 'session_status');
    const qrs = collect(client, 'qr_code');
    const error = nextEvent(client, 'session_error');
    await client.startSession('full');
    expect(await error).toMatchObject({ sessionId: 'full', event: 'start_session', code: 'storage_failed' });
    expect(statuses.map((s) => s.status)).toEqual(['starting', 'failed']);
    expect(qrs).toEqual([]);
    expect(await client.getSessionStatus('full')).toMatchObject({ status: 'failed', isConnected: false });
  });

  it('a session folder that cannot be created fails with storage_failed', async () => {
    const gateway = await start({});
    await fs.writeFile(path.join(gateway.config.dataDir, 'session-blocked'), 'a file where the folder goes');
    const client = await gateway.client();
    const error = nextEvent(client, 'session_error');
    await client.startSession('blocked');
    expect(await error).toMatchObject({ sessionId: 'blocked', code: 'storage_failed', message: expect.stringContaining('(EEXIST)') });
  });

  it('a disk that fills while the QR waits: storage_failed when the phone pairs, instead of qr for ever', async () => {
    const gateway = await start({ SANDBOX_SCAN_MS: '300' });
    const client = await gateway.client();
    const qr = nextEvent(client, 'qr_code');
    const connected = collect(client, 'session_connected');
    await client.startSession('filling');
    await qr;
    const folder = path.join(gateway.config.dataDir, 'session-filling');
    await fs.symlink('/dev/full', path.join(folder, 'sandbox-pairing.json'));
    await fs.mkdir(path.join(folder, `.storage-probe-${process.pid}`, 'x'), { recursive: true });
    const error = await nextEvent(client, 'session_error');
    expect(error).toMatchObject({
      sessionId: 'filling',
      code: 'storage_failed',
      message: expect.stringContaining('"filling" is not writable'),
    });
    expect(connected).toEqual([]);
    expect(await client.getSessionStatus('filling')).toMatchObject({ status: 'failed', isConnected: false });
  });

  it('a stored login restored at boot onto a full disk is reported failed, and the gateway serves', async () => {
    const first = await start({});
    const client = await first.client();
    const ready = nextEvent(client, 'session_connected');
    await client.startSession('stored');
    await ready;
    await first.shutdown();
    gateways.splice(gateways.indexOf(first), 1);

    const second = await start({ DATA_DIR_MIN_FREE_MB: NO_DISK_IS_THAT_BIG }, first.root);
    const api = await second.client();
    await vi.waitFor(async () => expect(await api.getSessionStatus('stored')).toMatchObject({ status: 'failed', isConnected: false }));
    expect(await api.getAvailableSessions()).toEqual([{ sessionId: 'stored', isActive: true }]);
  });
});
