/** What a connection may send before and after it authenticates, and what a failed authentication costs (issue 11, breaks 2 and 10). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binaryEventHeader,
  connectPacket,
  eventPacket,
  handshake,
  isConnectAck,
  RawPolling,
  RawWebSocket,
  tryConnect,
} from '../support/raw-clients';
import { capturingLogger, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const KEY = 'admission-key-0123456789abcdef';
const KB = 1024;
/** Small enough to keep the tests cheap; AUTH_MAX_BYTES stays at its default (4 KiB). */
const MAX_PAYLOAD_BYTES = 64 * KB;
const POLLING_MAX_BYTES = 16 * KB;
/** RATE_LIMIT_BURST + RATE_LIMIT_STRIKES: the most messages one read may carry. */
const MESSAGES_PER_READ = 30;

/** An answer to an acked event ("43<id>[…]"). */
const isAck = (id: number) => (message: string | Buffer) => typeof message === 'string' && message.startsWith(`43${id}[`);

const ENV = {
  API_KEY: KEY,
  MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
  POLLING_MAX_BYTES: String(POLLING_MAX_BYTES),
  RATE_LIMIT_BURST: '10',
  RATE_LIMIT_STRIKES: '20',
};

/** A gateway of its own, for a test whose flood costs 127.0.0.1 a burst of handshakes. */
async function withOwnGateway(run: (gateway: TestGateway) => Promise<void>): Promise<void> {
  const gateway = await startSandboxGateway(ENV);
  try {
    await run(gateway);
  } finally {
    await gateway.shutdown();
  }
}

describe('connections with API_KEY set', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startSandboxGateway(ENV);
  });
  afterAll(() => gateway.shutdown());

  describe('before authenticating', () => {
    it('closes a connection that announces a binary event instead of authenticating, before any attachment arrives', async () => {
      const socket = (await RawWebSocket.open(gateway.url))!;
      await socket.send(binaryEventHeader('send_whatsapp_message', 10));
      expect(await socket.whenClosed()).not.toBeNull();
    });

    it('refuses a WebSocket message larger than AUTH_MAX_BYTES from its frame header (close code 1009)', async () => {
      const socket = (await RawWebSocket.open(gateway.url))!;
      await socket.send(connectPacket({ token: 'x'.repeat(32 * KB) }));
      expect(await socket.whenClosed()).toBe(1009);
    });

    it('refuses a polling body larger than AUTH_MAX_BYTES with HTTP 413', async () => {
      const polling = (await RawPolling.open(gateway.url))!;
      expect(await polling.post(connectPacket({ token: 'x'.repeat(32 * KB) }))).toBe(413);
    });

    it('takes one CONNECT: a second message before admission closes the connection', async () => {
      const socket = (await RawWebSocket.open(gateway.url))!;
      await socket.send(connectPacket({ token: 'wrong-key-0123456789abcdef' }));
      await socket.send(connectPacket({ token: 'other-key-0123456789abcdef' }));
      expect(await socket.whenClosed()).not.toBeNull();
    });
  });

  describe('once authenticated', () => {
    it.each([
      ['auth.token over WebSocket', { auth: { token: KEY }, transports: ['websocket'] }, 40 * KB],
      ['auth.token over polling', { auth: { token: KEY }, transports: ['polling'] }, 12 * KB],
      ['the x-api-key header over WebSocket', { extraHeaders: { 'x-api-key': KEY }, transports: ['websocket'] }, 40 * KB],
      ['the token query parameter over polling', { query: { token: KEY }, transports: ['polling'] }, 12 * KB],
    ] as const)(
      'lifts the limit (WebSocket: MAX_PAYLOAD_BYTES, polling: POLLING_MAX_BYTES) with the key in %s',
      async (_, socketOptions, size) => {
        const client = await gateway.client({ socketOptions: { ...socketOptions, transports: [...socketOptions.transports] } });
        await expect(client.sendMessage({ sessionId: 'absent', to: '6282284316465', message: 'x'.repeat(size) })).rejects.toMatchObject({
          code: 'session_not_found',
        });
      },
    );

    it('refuses a polling body larger than POLLING_MAX_BYTES with HTTP 413', async () => {
      const polling = (await RawPolling.open(gateway.url, {}, `&token=${KEY}`))!;
      expect(await polling.post(connectPacket())).toBe(200);
      expect(await polling.poll()).toEqual([expect.stringMatching(/^40\{"sid"/)]);
      expect(await polling.post(eventPacket('get_active_sessions', { padding: 'x'.repeat(32 * KB) }))).toBe(413);
    });

    it('closes a connection that packs more events into one read than the rate limit lets through, leaving the rest unread', () =>
      withOwnGateway(async (gateway) => {
        const polling = (await RawPolling.open(gateway.url, {}, `&token=${KEY}`))!;
        await polling.post(connectPacket());
        await polling.poll();
        const events = Array.from({ length: 500 }, (_, id) => eventPacket('get_active_sessions', undefined, id));
        // Last, a packet Socket.IO answers as soon as it parses it: it must stay unread.
        expect(await polling.post([...events, '40/nowhere,'].join('\x1e'))).toBe(200);
        const answers: string[] = [];
        for (let packets = await polling.poll(); packets; packets = await polling.poll()) answers.push(...packets);
        expect(answers.filter((p) => p.startsWith('43')).length).toBeLessThanOrEqual(MESSAGES_PER_READ + 1);
        expect(answers.join()).not.toContain('Invalid namespace');
        expect(await polling.post(eventPacket('get_active_sessions'))).not.toBe(200);
        // The address owes a full burst now: it cannot reconnect at once and flood again.
        expect(await handshake(gateway.url, 'polling', {})).toMatch(/^403 .*too many connections from this address/);
      }));

    it('lifts the limit on the WebSocket a polling connection upgrades to', async () => {
      const client = await gateway.client({ token: KEY, transports: ['polling', 'websocket'] });
      const engine = client.socket.io.engine;
      if (engine.transport.name !== 'websocket') await new Promise((resolve) => engine.once('upgrade', resolve));
      await expect(client.sendMessage({ sessionId: 'absent', to: '6282284316465', message: 'x'.repeat(40 * KB) })).rejects.toMatchObject({
        code: 'session_not_found',
      });
    });

    it('closes a connection whose binary event and attachments outgrow MAX_PAYLOAD_BYTES before the last one arrives', () =>
      withOwnGateway(async (gateway) => {
        const socket = (await RawWebSocket.open(gateway.url))!;
        await socket.send(connectPacket({ token: KEY }));
        expect(await socket.next(isConnectAck)).not.toBeNull();

        await socket.send(binaryEventHeader('get_active_sessions', 3, 1));
        for (let i = 0; i < 3; i += 1) await socket.send(Buffer.alloc(10 * KB));
        expect(await socket.next(isAck(1))).not.toBeNull();

        await socket.send(binaryEventHeader('get_active_sessions', 3));
        for (let i = 0; i < 3; i += 1) await socket.send(Buffer.alloc(30 * KB));
        expect(await socket.whenClosed()).not.toBeNull();
      }));

    it('still answers ordinary events over a raw connection', async () => {
      const socket = (await RawWebSocket.open(gateway.url, { 'x-api-key': KEY }))!;
      await socket.send(connectPacket());
      expect(await socket.next(isConnectAck)).not.toBeNull();
      await socket.send(eventPacket('get_active_sessions', undefined, 7));
      expect(await socket.next(isAck(7))).toBe('437[{"ok":true,"data":[]}]');
    });
  });
});

describe('failed authentications', () => {
  it('answers a wrong key "unauthorized" and closes the connection: one guess per connection', async () => {
    const gateway = await startSandboxGateway({ API_KEY: KEY });
    try {
      const socket = (await RawWebSocket.open(gateway.url))!;
      await socket.send(connectPacket({ token: 'wrong-key-0123456789abcdef' }));
      expect(await socket.next((m) => typeof m === 'string' && m.startsWith('44'))).toBe('44{"message":"unauthorized"}');
      expect(await socket.whenClosed()).not.toBeNull();
    } finally {
      await gateway.shutdown();
    }
  });

  it('logs each failure without the key, then blocks the address after AUTH_FAILURES_MAX', async () => {
    const { logger, lines } = capturingLogger();
    const gateway = await startSandboxGateway({ API_KEY: KEY, AUTH_FAILURES_MAX: '3', AUTH_BLOCK_MS: '60000' }, undefined, { logger });
    try {
      expect(await tryConnect(gateway.url, { auth: { token: 'guess-one-0123456789abcdef' }, transports: ['websocket'] })).toBe(
        'unauthorized',
      );
      expect(await tryConnect(gateway.url, { transports: ['polling'] })).toBe('unauthorized');
      expect(await tryConnect(gateway.url, { auth: { token: 'guess-two-0123456789abcdef' }, transports: ['polling'] })).toBe(
        'unauthorized',
      );

      // Blocked: handshakes are refused before any key is looked at...
      expect(await handshake(gateway.url, 'polling', {})).toMatch(/^403 .*too many failed authentications/);
      expect(await handshake(gateway.url, 'websocket', {})).toMatch(/^400 too many failed authentications/);
      expect(await tryConnect(gateway.url, { auth: { token: KEY }, transports: ['websocket'] })).not.toBe('connected');
      // ...except one that carries a valid key itself.
      expect(await tryConnect(gateway.url, { extraHeaders: { 'x-api-key': KEY }, transports: ['websocket'] })).toBe('connected');

      const refusals = lines.filter((line) => line.msg === 'refused authentication');
      expect(refusals.map((line) => [line.level, line.address, line.via, line.reason])).toEqual([
        [40, '127.0.0.1', 'websocket', 'wrong key'],
        [40, '127.0.0.1', 'polling', 'no key'],
        [40, '127.0.0.1', 'polling', 'wrong key'],
      ]);
      expect(lines.filter((line) => line.msg === 'blocking an address after repeated failed authentications')).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain('guess-');
    } finally {
      await gateway.shutdown();
    }
  });
});
