/** The real engine without a browser: the server still starts and says how to get one. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../src/client/gateway-client';
import { loadConfig } from '../../src/config';
import { startGateway } from '../../src/gateway';
import { silentLogger } from '../../src/logger';
import { makeTempRoot, nextEvent } from '../support/sandbox-gateway';

describe('wwebjs engine with no browser', () => {
  it('starts, reports not ready, and answers start_session with browser_not_found', async () => {
    const root = await makeTempRoot();
    const config = loadConfig({
      WA_ENGINE: 'wwebjs',
      CHROME_PATH: path.join(root, 'no-such-chrome'),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: path.join(root, 'data'),
      MEDIA_DIR: path.join(root, 'media'),
      LOG_LEVEL: 'silent',
    });
    const gateway = await startGateway(config, silentLogger);
    const client = connect(gateway.url, { timeoutMs: 5000 });
    try {
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).checks.browser).toMatch(/CHROME_PATH/);

      const error = nextEvent(client, 'session_error');
      await expect(client.startSession('no-browser')).rejects.toMatchObject({
        code: 'browser_not_found',
        message: expect.stringMatching(/apt-get install -y chromium/),
      });
      expect(await error).toMatchObject({ sessionId: 'no-browser', code: 'browser_not_found', event: 'start_session' });
      expect(await client.getActiveSessions()).toEqual([]);
    } finally {
      client.close();
      await gateway.close();
    }
  });
});
