/** The process as operators run it: configuration errors, and a graceful SIGTERM. */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { connect } from '../src/client/gateway-client';
import { collect, makeTempRoot, nextEvent } from './support/sandbox-gateway';
import { runMain, startMain } from './support/gateway-process';
import { io } from 'socket.io-client';

function tryConnect(url: string, token?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, { path: '/ws', reconnection: false, transports: ['websocket'], auth: token ? { token } : {} });
    socket.on('connect', () => resolve('connected'));
    socket.on('connect_error', (error) => resolve(error.message));
    setTimeout(() => resolve('no answer'), 3000);
  });
}

describe('main', () => {
  it('stops at boot with one line naming a wrong variable', async () => {
    const run = runMain({ WA_ENGINE: 'selenium' });
    expect(await run.exited).toBe(2);
    expect(run.output().trim()).toMatch(/^Invalid WA_ENGINE="selenium": .*wwebjs.*sandbox/);
  });

  it('exits 1 and says why when the gateway cannot start (port taken)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const root = await makeTempRoot();
      const port = String((taken.address() as AddressInfo).port);
      const run = runMain({ WA_ENGINE: 'sandbox', PORT: port, DATA_DIR: path.join(root, 'data'), MEDIA_DIR: path.join(root, 'media') });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain('"msg":"the gateway could not start"');
      expect(run.output()).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  });

  it('on SIGTERM tells clients, drains the send queues within SHUTDOWN_GRACE_MS, keeps the rest for the restart and exits 0', async () => {
    const root = await makeTempRoot();
    const env = {
      WA_ENGINE: 'sandbox',
      SANDBOX_SCAN_MS: '0',
      SANDBOX_ECHO: '0',
      DATA_DIR: path.join(root, 'data'),
      MEDIA_DIR: path.join(root, 'media'),
      SEND_MIN_INTERVAL_MS: '400',
      SHUTDOWN_GRACE_MS: '1000',
    };
    const gateway = await startMain(env);
    const client = connect(gateway.url, { timeoutMs: 10_000 });
    try {
      const ready = nextEvent(client, 'session_connected');
      await client.startSession('drain');
      await ready;
      const shutdown = nextEvent(client, 'gateway_shutdown');
      const errors = collect(client, 'send_error');
      const firstSent = nextEvent(client, 'message_sent');
      const results = ['1', '2', '3', '4', '5'].map((m) =>
        client.sendMessage({ sessionId: 'drain', to: '6282284316465', message: m }).then(
          (sent) => `sent:${sent.message}`,
          (error: { code: string }) => error.code,
        ),
      );
      await firstSent;
      // The other four wait out SEND_MIN_INTERVAL_MS in the queue.
      await vi.waitFor(async () => expect((await client.getSessionStatus('drain')).queueDepth).toBe(4), { interval: 5 });
      gateway.child.kill('SIGTERM');
      expect(await shutdown).toEqual({ graceMs: 1000 });
      expect(await tryConnect(gateway.url)).toBe('shutting_down');
      const outcome = await Promise.all(results);
      expect(outcome.slice(0, 3)).toEqual(['sent:1', 'sent:2', 'sent:3']);
      expect(outcome.slice(3)).toEqual(['send_pending', 'send_pending']);
      expect(errors).toHaveLength(2);
      expect(await gateway.exited).toBe(0);
    } finally {
      client.close();
      gateway.child.kill('SIGKILL');
    }

    // The restarted gateway restores the session and sends what was left, in order. The watcher reads the
    // session's log from its start: the restored session may send before a live watcher is connected.
    const restarted = await startMain(env);
    const watcher = connect(restarted.url, { timeoutMs: 10_000, since: { drain: 0 } });
    try {
      const sent = collect(watcher, 'message_sent');
      await vi.waitFor(() => expect(sent.map((e) => e.message)).toEqual(['1', '2', '3', '4', '5']), { timeout: 10_000, interval: 20 });
    } finally {
      watcher.close();
      restarted.child.kill('SIGKILL');
    }
  });

  it('warns once at boot without API_KEY, and never logs keys or message bodies', async () => {
    const root = await makeTempRoot();
    const env = {
      WA_ENGINE: 'sandbox',
      SANDBOX_SCAN_MS: '0',
      DATA_DIR: path.join(root, 'data'),
      MEDIA_DIR: path.join(root, 'media'),
      LOG_LEVEL: 'trace',
    };
    const open = await startMain(env);
    open.child.kill('SIGTERM');
    await open.exited;
    expect(open.output().match(/NO API KEY SET/g)).toHaveLength(1);

    const key = 'a-very-secret-api-key-0001';
    const guarded = await startMain({ ...env, API_KEY: key });
    const client = connect(guarded.url, { token: key, timeoutMs: 10_000 });
    try {
      const ready = nextEvent(client, 'session_connected');
      await client.startSession('quiet');
      await ready;
      const echo = nextEvent(client, 'message_received');
      await client.sendMessage({ sessionId: 'quiet', to: '6282284316465', message: 'top secret body' });
      await echo;
      expect(await tryConnect(guarded.url, 'a-wrong-key-000000000000')).toBe('unauthorized');
    } finally {
      client.close();
      guarded.child.kill('SIGTERM');
      await guarded.exited;
    }
    const output = guarded.output();
    expect(output).toContain('"sessionId":"quiet"');
    expect(output).not.toContain('NO API KEY SET');
    expect(output).not.toContain(key);
    expect(output).not.toContain('a-wrong-key');
    expect(output).not.toContain('top secret body');
  });
});
