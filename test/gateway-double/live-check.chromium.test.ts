/**
 * `npm run live-check` refuses to touch WhatsApp unless told to, and its walk through the flows works:
 * checked against the double, whose auto mode plays the phone (the real run needs a phone; README).
 */
import { promises as fs, existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/gateway-process';
import { expectNoChromium } from '../../double/processes';
import { hasBrowser } from '../../double/gateway';

const LIVE_CHECK = ['--import', 'tsx', 'scripts/live-check.ts'];

describe('npm run live-check', { timeout: 60_000 }, () => {
  const roots: string[] = [];
  afterAll(async () => {
    for (const root of roots) await fs.rm(root, { recursive: true, force: true });
  });

  it('refuses without LIVE_CHECK=1, and without a number of your own to write to', async () => {
    const bare = runNode(LIVE_CHECK, { LIVE_CHECK_PEER: '6281234567890' });
    expect(await bare.exited).toBe(2);
    expect(bare.output()).toContain('runs only with LIVE_CHECK=1');
    const noPeer = runNode(LIVE_CHECK, { LIVE_CHECK: '1' });
    expect(await noPeer.exited).toBe(2);
    expect(noPeer.output()).toContain('set LIVE_CHECK_PEER to a phone number you own');
  });

  it.skipIf(!hasBrowser)(
    'walks every flow against the double, saves the reply with its numbers redacted, and leaves no Chromium',
    async () => {
      const root = await fs.mkdtemp(path.join(os.tmpdir(), 'live-check-'));
      roots.push(root);
      const run = runNode(LIVE_CHECK, {
        LIVE_CHECK: '1',
        LIVE_CHECK_PEER: '+62 812-3456-7890',
        LIVE_CHECK_DOUBLE: '2026-07-lid',
        LIVE_CHECK_DIR: root,
        LIVE_CHECK_SAVE_MESSAGE: '1',
        LIVE_CHECK_FIXTURE_DIR: root,
        ...(process.env.CHROME_PATH && { CHROME_PATH: process.env.CHROME_PATH }),
      });
      expect(await run.exited).toBe(0);
      const output = run.output();
      const flows = [
        'connect',
        'version',
        'number check',
        'send and ack',
        'receive a reply',
        'typing',
        'read',
        'restart without QR',
        'logout',
      ];
      for (const flow of flows) expect(output).toMatch(new RegExp(`^PASS  ${flow} `, 'm'));
      expect(output).toContain('missing on our paths: 0');
      expect(output).toContain('9 of 9 flows passed');

      const saved = readdirSync(root).find((name) => name.endsWith('-incoming.json'));
      const fixture = readFileSync(path.join(root, saved!), 'utf8');
      expect(JSON.parse(fixture)).toMatchObject({ source: 'npm run live-check', data: { type: 'chat' } });
      expect(fixture).not.toMatch(/6281234567890|[1-9]\d*@(?:lid|c\.us)/); // neither the number nor its LID
      expect(existsSync(path.join(root, 'auth', 'session-live-check'))).toBe(false); // logged out
      await expectNoChromium(path.join(root, 'auth'));
    },
  );
});
