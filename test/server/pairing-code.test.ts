/**
 * Logging in with a pairing code (start_session with a phoneNumber), over Socket.IO against the
 * sandbox: the code events, their refresh and limit, validation, a running session asked for another
 * way to log in, a stored login, metrics and PRINT_QR.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { sandboxPairingCode } from '../../src/engines/sandbox/sandbox-engine';
import { collect, nextEvent, rawRequest, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';
import { captureStdout } from '../support/stdout';

const NUMBER = '6282284316465';

describe('start_session with a phoneNumber (sandbox, code entered at once)', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ METRICS_TOKEN: 'metrics-secret' });
    client = await gateway.client();
  });
  afterAll(() => gateway.shutdown());

  it('answers starting, sends a pairing code instead of a QR, then connects as that number', async () => {
    const qrs = collect(client, 'qr_code');
    const code = nextEvent(client, 'pairing_code', (p) => p.sessionId === 'coded');
    const pairing = nextEvent(client, 'session_status', (p) => p.sessionId === 'coded' && p.status === 'pairing');
    const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === 'coded');

    const answer = await client.startSession('coded', { phoneNumber: '+62 822-8431-6465' });

    expect(answer).toMatchObject({ sessionId: 'coded', status: 'starting' });
    const first = sandboxPairingCode('coded', NUMBER, 1);
    expect(first).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    expect(await code).toEqual({ sessionId: 'coded', code: first, phoneNumber: NUMBER, attempt: 1 });
    expect(await pairing).toMatchObject({ pairingCode: first, isConnected: false });
    expect(await connected).toMatchObject({ sessionId: 'coded', phoneNumber: NUMBER, pushname: 'Sandbox coded' });
    expect(qrs).toEqual([]);
  });

  it('counts the codes in /metrics', async () => {
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
    const text = await response.text();
    expect(text).toMatch(/^wa_pairing_codes_total\{session="coded"\} 1$/m);
    expect(text).not.toMatch(/^wa_qr_codes_total\{session="coded"\}/m);
  });

  it('a stored login restores: the phoneNumber of a later start is ignored', async () => {
    await client.stopSession('coded');
    const codes = collect(client, 'pairing_code');
    const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === 'coded');
    await client.startSession('coded', { phoneNumber: '15551234567' });
    expect(await connected).toMatchObject({ phoneNumber: NUMBER });
    expect(codes).toEqual([]);
  });

  it('a connected session answers its status whatever the phoneNumber', async () => {
    expect(await client.startSession('coded', { phoneNumber: '15551234567' })).toMatchObject({ status: 'connected' });
    expect(await client.startSession('coded')).toMatchObject({ status: 'connected' });
  });

  it.each([
    ['not digits', 'call me'],
    ['too short', '12345'],
    ['a group', '120363021234567890@g.us'],
    ['a LID', '123456789012345@lid'],
  ])('refuses %s with invalid_number, starting nothing', async (_, phoneNumber) => {
    await expect(client.startSession('refused', { phoneNumber })).rejects.toMatchObject({
      code: 'invalid_number',
      message: expect.stringContaining('is not a phone number'),
    });
    expect(await client.getSessionStatus('refused')).toMatchObject({ status: 'not_found' });
  });

  it('refuses a phoneNumber that is not a string with invalid_payload naming it', async () => {
    const answer = await rawRequest(client, 'start_session', { sessionId: 'refused', phoneNumber: 6282284316465 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringContaining('phoneNumber') } });
  });
});

describe('start_session with a phoneNumber (sandbox, nobody enters the code)', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ SANDBOX_SCAN_MS: '600000', SANDBOX_QR_REFRESH_MS: '100', PAIRING_CODE_MAX_ATTEMPTS: '3' });
    client = await gateway.client();
  });
  afterAll(() => gateway.shutdown());

  it('refreshes the code, then ends qr_timeout after PAIRING_CODE_MAX_ATTEMPTS codes', async () => {
    const codes = collect(client, 'pairing_code');
    const ended = nextEvent(client, 'session_disconnected', (p) => p.sessionId === 'unentered');
    await client.startSession('unentered', { phoneNumber: NUMBER });
    expect(await ended).toMatchObject({ reason: 'qr_timeout' });
    expect(codes.map((c) => [c.code, c.attempt])).toEqual([1, 2, 3].map((n) => [sandboxPairingCode('unentered', NUMBER, n), n]));
    expect(new Set(codes.map((c) => c.code)).size).toBe(3);
    expect(await client.getSessionStatus('unentered')).toMatchObject({ status: 'disconnected' });
  });
});

describe('a session waiting for its login keeps the way it was started', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ SANDBOX_SCAN_MS: '600000' });
    client = await gateway.client();
  });
  afterAll(() => gateway.shutdown());

  it('the same phoneNumber answers its status and sends the latest code again', async () => {
    const first = nextEvent(client, 'pairing_code', (p) => p.sessionId === 'waiting');
    await client.startSession('waiting', { phoneNumber: NUMBER });
    const code = await first;
    const again = nextEvent(client, 'pairing_code', (p) => p.sessionId === 'waiting');
    expect(await client.startSession('waiting', { phoneNumber: `${NUMBER}@c.us` })).toMatchObject({
      status: 'pairing',
      pairingCode: code.code,
    });
    expect(await again).toEqual(code);
  });

  it('a QR start, or a code for another number, answers login_in_progress', async () => {
    await expect(client.startSession('waiting')).rejects.toMatchObject({
      code: 'login_in_progress',
      message: expect.stringContaining(`with a pairing code for ${NUMBER}`),
    });
    await expect(client.startSession('waiting', { phoneNumber: '15551234567' })).rejects.toMatchObject({ code: 'login_in_progress' });
    expect(await client.getSessionStatus('waiting')).toMatchObject({ status: 'pairing' });
  });

  it('a session showing a QR refuses a pairing code start until stopped', async () => {
    const qr = nextEvent(client, 'qr_code', (p) => p.sessionId === 'scanning');
    await client.startSession('scanning');
    await qr;
    await expect(client.startSession('scanning', { phoneNumber: NUMBER })).rejects.toMatchObject({
      code: 'login_in_progress',
      message: expect.stringContaining('with a QR code'),
    });
    await client.stopSession('scanning');
    const code = nextEvent(client, 'pairing_code', (p) => p.sessionId === 'scanning');
    await client.startSession('scanning', { phoneNumber: NUMBER });
    expect(await code).toMatchObject({ code: sandboxPairingCode('scanning', NUMBER, 1), attempt: 1 });
  });
});

describe('PRINT_QR with a pairing code', () => {
  it('prints the code in the terminal', async () => {
    const stdout = captureStdout();
    const gateway = await startSandboxGateway({ PRINT_QR: '1', SANDBOX_SCAN_MS: '600000' });
    try {
      const client = await gateway.client();
      const code = nextEvent(client, 'pairing_code');
      await client.startSession('printed', { phoneNumber: NUMBER });
      const { code: shown } = await code;
      await vi.waitFor(() =>
        expect(stdout.written.join('')).toContain(
          `Session "printed": on the phone of ${NUMBER}, WhatsApp > Linked devices > Link with phone number, enter (code 1)\n  ${shown.slice(0, 4)}-${shown.slice(4)}`,
        ),
      );
    } finally {
      stdout.restore();
      await gateway.shutdown();
    }
  });
});
