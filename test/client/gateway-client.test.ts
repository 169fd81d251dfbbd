/**
 * The project's own client through a real restart of the gateway (issue 11, break 3): the gateway
 * runs as `npm start` runs it, is stopped with SIGTERM and started again on the same port.
 */
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type GatewayClient } from '../../src/client/gateway-client';
import { startMain, type GatewayProcess } from '../support/gateway-process';
import { makeTempRoot, startSandboxGateway } from '../support/sandbox-gateway';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const once = (client: GatewayClient, event: 'connect' | 'disconnect') =>
  new Promise<void>((resolve) => client.socket.once(event, () => resolve()));

describe('the client across a gateway restart', () => {
  const running = new Set<GatewayProcess>();
  let client: GatewayClient | undefined;

  async function gatewayOn(port: number, root: string, env: Record<string, string> = {}): Promise<GatewayProcess> {
    const gateway = await startMain({
      PORT: String(port),
      WA_ENGINE: 'sandbox',
      DATA_DIR: path.join(root, 'data'),
      MEDIA_DIR: path.join(root, 'media'),
      ...env,
    });
    running.add(gateway);
    return gateway;
  }

  async function stop(gateway: GatewayProcess): Promise<void> {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
    running.delete(gateway);
  }

  afterEach(async () => {
    client?.close();
    for (const gateway of running) await stop(gateway);
  });

  it('sends the backlog of an outage at its pace: nothing rate_limited, and it stays connected', async () => {
    const [port, root] = await Promise.all([freePort(), makeTempRoot()]);
    const limits = { RATE_LIMIT_PER_SEC: '10', RATE_LIMIT_BURST: '10' };
    const first = await gatewayOn(port, root, limits);
    client = connect(first.url, {
      requestsPerSecond: 8,
      burst: 8,
      timeoutMs: 20_000,
      socketOptions: { reconnectionDelay: 200, reconnectionDelayMax: 500 },
    });
    await once(client, 'connect');
    expect(await client.getActiveSessions()).toEqual([]);

    const disconnected = once(client, 'disconnect');
    await stop(first);
    await disconnected;
    // Four times the gateway's burst, asked for while it is down.
    const backlog = Promise.allSettled(Array.from({ length: 40 }, () => client!.getActiveSessions()));
    await gatewayOn(port, root, limits);

    const outcomes = await backlog;
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(client.socket.connected).toBe(true);
    await fs.rm(root, { recursive: true, force: true });
  }, 40_000);

  it('answers not_sent what it could not send in time, and never sends it later', async () => {
    const [port, root] = await Promise.all([freePort(), makeTempRoot()]);
    const first = await gatewayOn(port, root);
    client = connect(first.url, { timeoutMs: 500, socketOptions: { reconnectionDelay: 200, reconnectionDelayMax: 500 } });
    await once(client, 'connect');

    const disconnected = once(client, 'disconnect');
    await stop(first);
    await disconnected;
    await expect(client.startSession('ghost')).rejects.toMatchObject({ code: 'not_sent' });

    const reconnected = once(client, 'connect');
    await gatewayOn(port, root);
    await reconnected;
    expect(await client.getActiveSessions()).toEqual([]);
    await fs.rm(root, { recursive: true, force: true });
  }, 40_000);
});

describe('connected()', () => {
  it('resolves once connected (at once when it already is), and rejects with the refusal', async () => {
    const gateway = await startSandboxGateway({ API_KEY: 'connected-key-0123456789' });
    try {
      const good = connect(gateway.url, { token: 'connected-key-0123456789' });
      expect(await good.connected()).toBe(good);
      expect(good.socket.connected).toBe(true);
      await good.connected();
      good.close();
      const refused = connect(gateway.url, { token: 'wrong-key-0123456789abc', socketOptions: { reconnection: false } });
      await expect(refused.connected()).rejects.toThrow('unauthorized');
      refused.close();
    } finally {
      await gateway.shutdown();
    }
  });
});
