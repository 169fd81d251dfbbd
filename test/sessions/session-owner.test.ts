/**
 * MAX_SESSIONS_PER_KEY holds for sessions a key loads from storage, and across restarts: a session
 * belongs to the key that last started (or loaded) it, recorded by key id next to its stored login.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const KEY = 'owner-key-0123456789abcdef';
const OTHER_KEY = 'other-key-0123456789abcdef';
const ids = (count: number) => Array.from({ length: count }, (_, i) => `stored-${i + 1}`);

describe('sessions count for the key that started or loaded them', () => {
  const running: TestGateway[] = [];
  afterEach(async () => {
    for (const gateway of running.splice(0)) await gateway.shutdown();
  });

  async function gateway(root: string, env: Record<string, string>): Promise<TestGateway> {
    const started = await startSandboxGateway(env, root);
    running.push(started);
    return started;
  }

  async function stop(gw: TestGateway): Promise<void> {
    running.splice(running.indexOf(gw), 1);
    await gw.shutdown();
  }

  /** Pairs `sessionIds` on a gateway of their own and shuts it down: stored logins nobody runs. */
  async function storeLogins(root: string, sessionIds: string[], env: Record<string, string> = {}, token?: string): Promise<void> {
    const gw = await gateway(root, { AUTO_LOAD_SESSIONS: 'false', ...env });
    const client = await gw.client({ token });
    for (const sessionId of sessionIds) {
      const connected = nextEvent(client, 'session_connected', (p) => p.sessionId === sessionId);
      await client.startSession(sessionId);
      await connected;
    }
    await stop(gw);
  }

  it('a key limited to 2 loads 2 of 8 stored logins, is told why the other 6 were not, and keeps them after a restart', async () => {
    const root = await makeTempRoot();
    await storeLogins(root, ids(8));
    const limited = { API_KEY: `${KEY},${OTHER_KEY}`, MAX_SESSIONS_PER_KEY: '2' };

    const first = await gateway(root, { ...limited, AUTO_LOAD_SESSIONS: 'false' });
    const key = await first.client({ token: KEY });
    const answer = await key.loadSessionsFromStorage();
    expect(answer.loaded).toEqual(['stored-1', 'stored-2']);
    expect(answer.alreadyActive).toEqual([]);
    expect(answer.failed).toEqual(
      ids(8)
        .slice(2)
        .map((sessionId) => ({ sessionId, code: 'max_sessions', message: expect.stringContaining('MAX_SESSIONS_PER_KEY=2') })),
    );
    expect((await key.getActiveSessions()).map((s) => s.sessionId)).toEqual(['stored-1', 'stored-2']);
    await expect(key.startSession('one-more')).rejects.toMatchObject({ code: 'max_sessions' });
    // Another key's limit is its own: it loads the next two.
    expect((await (await first.client({ token: OTHER_KEY })).loadSessionsFromStorage()).loaded).toEqual(['stored-3', 'stored-4']);
    await stop(first);

    const restarted = await gateway(root, limited);
    await vi.waitFor(() => expect(restarted.manager.list()).toHaveLength(8));
    const again = await restarted.client({ token: KEY });
    await expect(again.startSession('one-more')).rejects.toMatchObject({ code: 'max_sessions' });
  });

  it('sessions restored at boot belong to the key that started them; the record names the key by id, never the key', async () => {
    const root = await makeTempRoot();
    const limited = { API_KEY: KEY, MAX_SESSIONS_PER_KEY: '2' };
    await storeLogins(root, ['mine-1', 'mine-2'], limited, KEY);

    const files = await fs.readdir(path.join(root, 'data'), { recursive: true, withFileTypes: true });
    for (const file of files.filter((entry) => entry.isFile())) {
      expect(await fs.readFile(path.join(file.parentPath, file.name), 'utf8')).not.toContain(KEY);
    }

    const restarted = await gateway(root, limited);
    const client = await restarted.client({ token: KEY });
    await vi.waitFor(() =>
      expect(
        restarted.manager
          .list()
          .map((s) => s.id)
          .sort(),
      ).toEqual(['mine-1', 'mine-2']),
    );
    await expect(client.startSession('mine-3')).rejects.toMatchObject({
      code: 'max_sessions',
      message: expect.stringContaining('MAX_SESSIONS_PER_KEY=2'),
    });
    // Logged out, a session no longer counts, and its owner record goes with the stored login.
    await client.logoutSession('mine-1');
    expect((await fs.readdir(path.join(root, 'data'))).filter((name) => name.includes('mine-1'))).toEqual([]);
    await client.startSession('mine-3');
  });
});
