/**
 * Boot with AUTO_LOAD_SESSIONS: a stored login that cannot start (no browser, more logins than
 * MAX_SESSIONS) is listed as failed with the reason, logged and reported as session_error, and the
 * gateway serves the others. In-process and as the process operators run.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect, type GatewayClient } from '../src/client/gateway-client';
import { loadConfig } from '../src/config';
import { startGateway, type Gateway } from '../src/gateway';
import { makeTempRoot, nextEvent } from './support/sandbox-gateway';
import { startMain } from './support/gateway-process';

interface LogLine {
  msg: string;
  sessionId?: string;
  code?: string;
  event?: string;
}

/** Stored logins in the sandbox's layout (docs/sandbox.md): a paired session's folder with its pairing file. */
async function storeSandboxLogins(dataDir: string, sessionIds: string[]): Promise<void> {
  for (const sessionId of sessionIds) {
    await fs.mkdir(path.join(dataDir, `session-${sessionId}`), { recursive: true });
    await fs.writeFile(path.join(dataDir, `session-${sessionId}`, 'sandbox-pairing.json'), '{}');
  }
}

describe('restoring stored logins at boot', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function boot(env: Record<string, string>): Promise<{ gateway: Gateway; logs: LogLine[]; client: GatewayClient }> {
    const logs: LogLine[] = [];
    const logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    const gateway = await startGateway(loadConfig({ PORT: '0', HOST: '127.0.0.1', AUTO_LOAD_SESSIONS: 'true', ...env }), logger);
    const client = connect(gateway.url, { timeoutMs: 5000 });
    cleanups.push(async () => {
      client.close();
      await gateway.close();
    });
    return { gateway, logs, client };
  }

  it('more stored logins than MAX_SESSIONS: the first ones run, the rest are listed failed with max_sessions', async () => {
    const root = await makeTempRoot();
    const dataDir = path.join(root, 'data');
    await storeSandboxLogins(dataDir, ['a-one', 'b-two', 'c-three']);
    const { gateway, logs, client } = await boot({
      WA_ENGINE: 'sandbox',
      DATA_DIR: dataDir,
      MEDIA_DIR: path.join(root, 'media'),
      MAX_SESSIONS: '2',
    });

    await vi.waitFor(() => expect(gateway.manager.list().filter((s) => s.isConnected)).toHaveLength(2));
    const failed = { code: 'max_sessions', message: expect.stringContaining('MAX_SESSIONS=2') };
    expect(await client.getSessionStatus('c-three')).toMatchObject({ status: 'failed', isConnected: false, error: failed });
    expect(await client.getActiveSessions()).toEqual([
      expect.objectContaining({ sessionId: 'a-one', status: 'connected' }),
      expect.objectContaining({ sessionId: 'b-two', status: 'connected' }),
      { sessionId: 'c-three', status: 'failed', isConnected: false, queueDepth: 0, error: failed },
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'a stored session could not be restored', sessionId: 'c-three', code: 'max_sessions' }),
    );
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'session event', sessionId: 'c-three', event: 'session_error' }));

    // It stays one too many until another session makes room; then start_session brings it back.
    await expect(client.startSession('c-three')).rejects.toMatchObject({ code: 'max_sessions' });
    await client.stopSession('a-one');
    const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === 'c-three');
    expect(await client.startSession('c-three')).toMatchObject({ status: 'starting' });
    await connected;
    expect((await client.getSessionStatus('c-three')).error).toBeUndefined();
  });

  it('no browser for the real engine: every stored login is listed failed with browser_not_found', async () => {
    const root = await makeTempRoot();
    const dataDir = path.join(root, 'data');
    await fs.mkdir(path.join(dataDir, 'session-kept'), { recursive: true });
    const { client } = await boot({
      WA_ENGINE: 'wwebjs',
      CHROME_PATH: path.join(root, 'no-such-chrome'),
      DATA_DIR: dataDir,
      MEDIA_DIR: path.join(root, 'media'),
    });
    expect(await client.getSessionStatus('kept')).toMatchObject({
      status: 'failed',
      error: { code: 'browser_not_found', message: expect.stringContaining('CHROME_PATH') },
    });
  });

  it('as a process: a stored login without a browser is reported and the gateway keeps serving', async () => {
    const root = await makeTempRoot();
    const dataDir = path.join(root, 'data');
    await fs.mkdir(path.join(dataDir, 'session-kept'), { recursive: true });
    const gateway = await startMain({
      WA_ENGINE: 'wwebjs',
      CHROME_PATH: path.join(root, 'no-such-chrome'),
      DATA_DIR: dataDir,
      MEDIA_DIR: path.join(root, 'media'),
      AUTO_LOAD_SESSIONS: 'true',
    });
    cleanups.push(() => void gateway.child.kill('SIGKILL'));
    const client = connect(gateway.url, { timeoutMs: 5000 });
    cleanups.push(() => client.close());

    expect(await client.getActiveSessions()).toEqual([
      {
        sessionId: 'kept',
        status: 'failed',
        isConnected: false,
        queueDepth: 0,
        error: expect.objectContaining({ code: 'browser_not_found' }),
      },
    ]);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect(gateway.output()).toMatch(/"sessionId":"kept".*"code":"browser_not_found".*"msg":"a stored session could not be restored"/);
    expect(gateway.child.exitCode).toBeNull();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  });
});
