import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect, makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';
import { captureStdout } from '../support/stdout';

describe('health, readiness and metrics', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ METRICS_TOKEN: 'metrics-secret', SANDBOX_ECHO: '1' });
    const client = await gateway.client();
    const ready = nextEvent(client, 'session_connected');
    await client.startSession('m1');
    await ready;
    const echo = nextEvent(client, 'message_received');
    await client.sendMessage({ sessionId: 'm1', to: '6282284316465', message: 'hi' });
    await expect(client.sendMessage({ sessionId: 'm1', to: '6281234567000', message: 'hi' })).rejects.toMatchObject({
      code: 'not_on_whatsapp',
    });
    await echo;
  });
  afterAll(() => gateway.shutdown());

  it('/healthz answers while the process lives', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('/readyz checks storage and browser', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(await response.json()).toEqual({ ready: true, checks: { storage: 'ok', browser: 'ok' } });
    // A directory where the probe file goes makes DATA_DIR unwritable for the probe, even for root.
    const probe = path.join(gateway.config.dataDir, `.storage-probe-${process.pid}`);
    await fs.mkdir(path.join(probe, 'x'), { recursive: true });
    try {
      const failing = await fetch(`${gateway.url}/readyz`);
      expect(failing.status).toBe(503);
      expect((await failing.json()).checks.storage).toMatch(/not writable/);
    } finally {
      await fs.rm(probe, { recursive: true });
    }
  });

  it('/metrics needs the token and reports sessions, messages, latency and clients', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
    const text = await response.text();
    expect(text).toMatch(/^wa_sessions\{status="connected"\} 1$/m);
    expect(text).toMatch(/^wa_messages_sent_total\{session="m1"\} 1$/m);
    expect(text).toMatch(/^wa_messages_failed_total\{session="m1",code="not_on_whatsapp"\} 1$/m);
    expect(text).toMatch(/^wa_messages_received_total\{session="m1"\} 1$/m);
    expect(text).toMatch(/^wa_send_latency_seconds_count\{session="m1"\} 1$/m);
    expect(text).toMatch(/^wa_qr_codes_total\{session="m1"\} 1$/m);
    expect(text).toMatch(/^wa_send_queue_depth\{session="m1"\} 0$/m);
    expect(text).toMatch(/^wa_socket_clients 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toContain('# TYPE wa_browser_memory_bytes gauge');
    expect(text).toContain('# TYPE wa_session_restarts_total counter');
  });
});

describe('/metrics while API keys are set', () => {
  const ADMIN_KEY = 'metrics-admin-key-0123456789';
  const SHOP_KEY = 'metrics-shop-key-0123456789';
  let gateway: TestGateway;
  const scrape = (token?: string) => fetch(`${gateway.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    await fs.writeFile(keysFile, JSON.stringify({ [SHOP_KEY]: ['shop-1'] }));
    gateway = await startSandboxGateway({ API_KEY: ADMIN_KEY, API_KEYS_FILE: keysFile, AUTH_FAILURES_MAX: '3' }, root);
    const admin = await gateway.client({ token: ADMIN_KEY });
    await admin.startSession('secret-session');
  });
  afterAll(() => gateway.shutdown());

  it('wants an API key that sees every session even without METRICS_TOKEN, and counts wrong tokens', async () => {
    const open = await scrape();
    expect(open.status).toBe(401);
    expect(await open.text()).not.toContain('secret-session');
    expect((await scrape(SHOP_KEY)).status).toBe(401);
    const admin = await scrape(ADMIN_KEY);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('session="secret-session"');

    // Three failures so far (none, the scoped key, now a guess): the address is blocked, right key or not.
    expect((await scrape('guess-0123456789abcdef')).status).toBe(401);
    expect((await scrape(ADMIN_KEY)).status).toBe(429);
  });
});

describe('PRINT_QR', () => {
  it('prints each QR code in the terminal', async () => {
    const stdout = captureStdout();
    const gateway = await startSandboxGateway({ PRINT_QR: '1', SANDBOX_SCAN_MS: '60000' });
    try {
      const client = await gateway.client();
      const qr = nextEvent(client, 'qr_code');
      collect(client, 'qr_code');
      await client.startSession('printed');
      await qr;
      await vi.waitFor(() => {
        const output = stdout.written.join('');
        expect(output).toContain('Session "printed": scan with WhatsApp > Linked devices (QR 1)');
        expect(output).toMatch(/[▀▄█]{10}/);
      });
    } finally {
      stdout.restore();
      await gateway.shutdown();
    }
  });
});
