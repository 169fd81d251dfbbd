/** Who may connect, and what a scoped key can see and do. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRequestError } from '../../src/client/gateway-client';
import { handshake, tryConnect } from '../support/raw-clients';
import { collect, makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const SHOP_KEY = 'shop-key-0123456789abcdef';

describe('API keys', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    await fs.writeFile(keysFile, JSON.stringify({ [SHOP_KEY]: ['shop-1', 'shop-2'] }));
    gateway = await startSandboxGateway({ API_KEY: ADMIN_KEY, API_KEYS_FILE: keysFile, MAX_SESSIONS_PER_KEY: '1' }, root);
  });
  afterAll(() => gateway.shutdown());

  describe.each(['websocket', 'polling'] as const)('over %s', (transport) => {
    it.each([
      ['no key', {}],
      ['a wrong auth.token', { auth: { token: 'wrong-key-0123456789abcdef' } }],
      ['a wrong x-api-key header', { extraHeaders: { 'x-api-key': 'nope' } }],
      ['a non-string token', { auth: { token: { $gt: '' } } }],
    ])('refuses %s with connect_error "unauthorized"', async (_, options) => {
      expect(await tryConnect(gateway.url, { transports: [transport], ...options })).toBe('unauthorized');
    });

    it.each([
      ['auth.token', { auth: { token: ADMIN_KEY } }],
      ['the x-api-key header', { extraHeaders: { 'x-api-key': ADMIN_KEY } }],
      ['the token query parameter', { query: { token: ADMIN_KEY } }],
      ['a scoped key from API_KEYS_FILE', { auth: { token: SHOP_KEY } }],
    ])('accepts a key in %s', async (_, options) => {
      expect(await tryConnect(gateway.url, { transports: [transport], ...options })).toBe('connected');
    });
  });

  it('keeps a scoped key inside its sessions: events, lists, status and control', async () => {
    const admin = await gateway.client({ token: ADMIN_KEY });
    const shop = await gateway.client({ token: SHOP_KEY });
    const shopSees = collect(shop, 'session_status');

    await admin.startSession('private');
    await nextEvent(admin, 'session_connected', (p) => p.sessionId === 'private');
    const shopConnected = nextEvent(shop, 'session_connected', (p) => p.sessionId === 'shop-1');
    await shop.startSession('shop-1');
    await shopConnected;

    expect(shopSees.every((event) => event.sessionId === 'shop-1')).toBe(true);
    expect((await shop.getActiveSessions()).map((s) => s.sessionId)).toEqual(['shop-1']);
    expect((await admin.getActiveSessions()).map((s) => s.sessionId).sort()).toEqual(['private', 'shop-1']);
    expect((await shop.getAvailableSessions()).map((s) => s.sessionId)).toEqual(['shop-1']);
    expect(await shop.loadSessionsFromStorage()).toEqual({ loaded: [], alreadyActive: ['shop-1'], failed: [] });

    await expect(shop.getSessionStatus('private')).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(shop.stopSession('private')).rejects.toMatchObject({ code: 'session_not_found' });
    await expect(shop.sendMessage({ sessionId: 'private', to: '6282284316465', message: 'x' })).rejects.toMatchObject({
      code: 'session_not_found',
    });
    await expect(shop.startSession('elsewhere')).rejects.toMatchObject({ code: 'session_not_found' });

    await shop.subscribe('*');
    const leaked = collect(shop, 'message_received');
    const adminSees = nextEvent(admin, 'message_received', (p) => p.message.text === 'secret');
    await admin.request('sandbox_inject_message', { sessionId: 'private', from: '6282284316465', text: 'secret' });
    await adminSees;
    await shop.getActiveSessions(); // the gateway sends an event to all its followers at once, so a leak would come before this answer
    expect(leaked).toHaveLength(0);
    expect(await admin.getSessionStatus('private')).toMatchObject({ status: 'connected' });
  });

  it('tells a scoped key nothing about how full the gateway is', async () => {
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    await fs.writeFile(keysFile, JSON.stringify({ [SHOP_KEY]: ['shop-1'] }));
    const full = await startSandboxGateway({ API_KEY: ADMIN_KEY, API_KEYS_FILE: keysFile, MAX_SESSIONS: '1' }, root);
    try {
      const admin = await full.client({ token: ADMIN_KEY });
      const shop = await full.client({ token: SHOP_KEY });
      await admin.startSession('private');
      const refusal = await shop.startSession('shop-1').catch((error: GatewayRequestError) => error);
      expect(refusal).toMatchObject({ code: 'max_sessions' });
      expect((refusal as GatewayRequestError).message).not.toMatch(/MAX_SESSIONS=|\d/);
      // A key that sees every session may know.
      await expect(admin.startSession('other')).rejects.toMatchObject({
        code: 'max_sessions',
        message: expect.stringMatching(/MAX_SESSIONS=1/),
      });
    } finally {
      await full.shutdown();
    }
  });

  it('limits the sessions one key may start (MAX_SESSIONS_PER_KEY)', async () => {
    const shop = await gateway.client({ token: SHOP_KEY });
    await shop.startSession('shop-1');
    await expect(shop.startSession('shop-2')).rejects.toMatchObject({ code: 'max_sessions' });
  });
});

describe.each(['websocket', 'polling'] as const)('CORS_ORIGINS over %s', (transport) => {
  it('refuses a page from an origin not listed, admits the listed one and clients that send no Origin', async () => {
    const gateway = await startSandboxGateway({ CORS_ORIGINS: 'https://good.example' });
    try {
      const connectFrom = (headers: Record<string, string>) => tryConnect(gateway.url, { transports: [transport], extraHeaders: headers });
      expect(await handshake(gateway.url, transport, { origin: 'https://evil.example' })).toMatch(/^40[03] .*origin not allowed/);
      expect(await connectFrom({ origin: 'https://evil.example' })).not.toBe('connected');
      expect(await connectFrom({ origin: 'https://good.example' })).toBe('connected');
      expect(await connectFrom({})).toBe('connected');
    } finally {
      await gateway.shutdown();
    }
  });
});

describe('without API_KEY', () => {
  it('serves everyone (and warns at boot) with CORS shared by page and socket', async () => {
    const gateway = await startSandboxGateway({ CORS_ORIGINS: 'https://app.example' });
    try {
      expect(await tryConnect(gateway.url, { transports: ['websocket'] })).toBe('connected');
      const allowed = await fetch(`${gateway.url}/whatsapp-test.html`, { headers: { origin: 'https://app.example' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await fetch(`${gateway.url}/whatsapp-test.html`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const polling = await fetch(`${gateway.url}/ws/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
      expect(polling.headers.get('access-control-allow-origin')).toBeNull();
      const pollingOk = await fetch(`${gateway.url}/ws/?EIO=4&transport=polling`, { headers: { origin: 'https://app.example' } });
      expect(pollingOk.headers.get('access-control-allow-origin')).toBe('https://app.example');
    } finally {
      await gateway.shutdown();
    }
  });
});
