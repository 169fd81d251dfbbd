import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserVersion, userAgentFor, userAgentOf } from '../../../src/engines/wwebjs/user-agent';
import { buildClientOptions } from '../../../src/engines/wwebjs/client';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-agent-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An executable that answers `--version` like Debian's Chromium wrapper (which also prints noise on stderr). */
function fakeBrowser(output: string): string {
  const file = path.join(dir, `browser-${Math.random().toString(16).slice(2)}`);
  fs.writeFileSync(file, `#!/bin/sh\necho '[: unexpected operator' >&2\necho '${output}'\n`, { mode: 0o755 });
  return file;
}

describe('the user agent presented to WhatsApp Web', () => {
  it('is the version the browser reports, as Chrome reduces it, on Linux', () => {
    const chromium = fakeBrowser('Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)');
    expect(browserVersion(chromium)).toBe('156.0.8078.114');
    expect(userAgentOf(chromium)).toBe(
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    );
    expect(userAgentFor('131.0.6778.85')).toContain('Chrome/131.0.0.0 ');
  });

  it('reads Google Chrome too, and gives up on anything that does not say it is a browser', () => {
    expect(browserVersion(fakeBrowser('Google Chrome 140.0.7339.80 '))).toBe('140.0.7339.80');
    expect(browserVersion(process.execPath)).toBeUndefined(); // node --version: v20…
    expect(browserVersion(path.join(dir, 'missing'))).toBeUndefined();
  });

  it('goes into the client options (replacing the library’s Chrome 101 on macOS), and stays out when unknown', () => {
    const settings = { sessionId: 's', dataDir: dir, executablePath: '/usr/bin/chromium', args: [] };
    expect(buildClientOptions({ ...settings, userAgent: 'UA' }).userAgent).toBe('UA');
    expect(buildClientOptions(settings)).not.toHaveProperty('userAgent');
  });
});
