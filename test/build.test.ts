/** The compiled server, as `npm start` and the Docker image run it: builds, boots, serves the console. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempRoot } from './support/sandbox-gateway';
import { startMain } from './support/gateway-process';

const ROOT = path.resolve(__dirname, '..');

describe('npm run build', () => {
  it('produces a server that starts from dist/ and serves the console and the socket client', async () => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    const root = await makeTempRoot();
    const gateway = await startMain(
      { WA_ENGINE: 'sandbox', DATA_DIR: path.join(root, 'data'), MEDIA_DIR: path.join(root, 'media') },
      { entry: 'dist/src/main.js' },
    );
    try {
      expect(await (await fetch(`${gateway.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
      expect(await (await fetch(`${gateway.url}/`)).text()).toContain('<title>');
      expect((await fetch(`${gateway.url}/ws/socket.io.js`)).status).toBe(200);
    } finally {
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toBe(0);
    }
  }, 120_000);
});
