/**
 * Logging in with a pairing code through the Socket.IO API with the real engine: whatsapp-web.js in
 * headless Chromium against the WhatsApp Web double of today's site (2026-07-lid). The test plays the
 * phone through the browser's DevTools port, as api.chromium.test.ts does for the QR; in auto mode the
 * double enters the code by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterPairingCode, pairingRequests } from '../../double/harness';
import { hasBrowser, phone, startDoubleGateway, type DoubleGateway, type EventLog, type Phone } from '../../double/gateway';
import type { GatewayClient } from '../../src/client/gateway-client';
import { makeTempRoot } from '../support/sandbox-gateway';
import { closeAndCheckClean } from './support';

const NUMBER = '6282284316465';
const CODE = /^[1-9A-HJ-NP-TV-Z]{8}$/;

describe.skipIf(!hasBrowser)('pairing codes with the real engine on the 2026-07-lid double', { timeout: 90_000 }, () => {
  let root: string;
  let gw: DoubleGateway | undefined;
  let log: EventLog;
  let api: GatewayClient;
  let device: Phone | undefined;

  beforeAll(async () => {
    root = await makeTempRoot();
    // A new code every 2 s (WhatsApp: 3 minutes), so refreshes and the limit come quickly.
    gw = await startDoubleGateway(
      root,
      { WWEBJS_PAIRING_CODE_INTERVAL_MS: '2000', PAIRING_CODE_MAX_ATTEMPTS: '3' },
      { profile: '2026-07-lid', qrRefreshMs: 1000 },
    );
    log = await gw.client();
    api = (await gw.client()).client;
  });

  afterAll(async () => {
    await device?.disconnect();
    await closeAndCheckClean(gw, root);
  });

  it('asks WhatsApp Web for a code for the number, refreshes it, and connects as that number once the phone enters it', async () => {
    const status = await api.startSession('coded', { phoneNumber: '+62 822-8431-6465' });
    expect(status).toMatchObject({ sessionId: 'coded', status: 'starting' });

    const first = await log.next('pairing_code', (p) => p.sessionId === 'coded');
    expect(first).toMatchObject({ phoneNumber: NUMBER, attempt: 1, code: expect.stringMatching(CODE) });
    device = await phone(gw!.dataDir, 'coded');
    expect(await pairingRequests(device.page)).toEqual([{ phoneNumber: NUMBER, showNotification: true, code: first.code }]);

    const second = await log.next('pairing_code', (p) => p.sessionId === 'coded' && p.attempt === 2);
    expect(second.code).not.toBe(first.code);
    expect(await api.getSessionStatus('coded')).toMatchObject({ status: 'pairing', pairingCode: second.code });
    await expect(enterPairingCode(device.page, first.code)).rejects.toThrow(/wrong pairing code/);

    await enterPairingCode(device.page, second.code);
    const connected = await log.next('session_connected', (c) => c.sessionId === 'coded');
    expect(connected).toMatchObject({ phoneNumber: NUMBER, pushname: 'Double' });
    expect(log.statuses('coded')).toEqual(['starting', 'pairing', 'connected']);
    expect(log.since('qr_code', 'coded')).toEqual([]);
  });

  it('restores the stored login on the next start, without a code, whatever the phoneNumber', async () => {
    await device?.disconnect();
    device = undefined;
    await api.stopSession('coded');
    const after = log.mark();
    await api.startSession('coded', { phoneNumber: '15551234567' });
    expect(await log.next('session_connected', (c) => c.sessionId === 'coded', { after })).toMatchObject({ phoneNumber: NUMBER });
    expect(log.since('pairing_code', 'coded', after)).toEqual([]);
  });

  it('ends qr_timeout when nobody enters PAIRING_CODE_MAX_ATTEMPTS codes', async () => {
    await api.startSession('unentered', { phoneNumber: NUMBER });
    expect(await log.next('session_disconnected', (d) => d.sessionId === 'unentered', { timeoutMs: 40_000 })).toMatchObject({
      reason: 'qr_timeout',
    });
    expect(log.since('pairing_code', 'unentered').map((p) => p.attempt)).toEqual([1, 2, 3]);
    expect(log.statuses('unentered')).toEqual(['starting', 'pairing', 'disconnected']);
  });
});

describe.skipIf(!hasBrowser)('pairing codes on the double in auto mode', { timeout: 90_000 }, () => {
  let root: string;
  let gw: DoubleGateway | undefined;

  beforeAll(async () => {
    root = await makeTempRoot();
    gw = await startDoubleGateway(root, {}, { profile: '2026-07-lid', auto: true, scanAfterMs: 300 });
  });

  afterAll(() => closeAndCheckClean(gw, root));

  it('the double enters the code by itself: pairing_code, then session_connected as the number', async () => {
    const log = await gw!.client();
    await log.client.startSession('auto', { phoneNumber: NUMBER });
    const code = await log.next('pairing_code', (p) => p.sessionId === 'auto');
    expect(code).toMatchObject({ phoneNumber: NUMBER, attempt: 1, code: expect.stringMatching(CODE) });
    expect(await log.next('session_connected', (c) => c.sessionId === 'auto')).toMatchObject({ phoneNumber: NUMBER });
    expect(log.statuses('auto')).toEqual(['starting', 'pairing', 'connected']);
  });
});
