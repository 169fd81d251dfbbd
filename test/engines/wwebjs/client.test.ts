import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import { buildClientOptions, type ClientSettings } from '../../../src/engines/wwebjs/client';
import { storedLoginDir } from '../../../src/storage/session-storage';

const settings: ClientSettings = {
  sessionId: 'alpha',
  dataDir: '/data/auth',
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox'],
};

describe('buildClientOptions', () => {
  it('stores the login with LocalAuth under DATA_DIR and launches the chosen browser headless, leaving signals to the gateway', () => {
    const options = buildClientOptions(settings);
    expect(options.authStrategy).toBeInstanceOf(wwebjs.LocalAuth);
    expect(options.authStrategy).toMatchObject({ clientId: 'alpha', dataPath: '/data/auth' });
    expect(options.puppeteer).toEqual({
      executablePath: '/usr/bin/chromium',
      headless: true,
      pipe: true,
      args: ['--remote-debugging-pipe', '--no-sandbox'],
      handleSIGINT: false,
      handleSIGTERM: false,
    });
    expect(options.qrMaxRetries).toBe(0);
  });

  it('leaves the web version to the library unless configured', () => {
    const options = buildClientOptions(settings);
    expect(options).not.toHaveProperty('webVersion');
    expect(options).not.toHaveProperty('webVersionCache');
  });

  it('pins the web version and its local cache when configured', () => {
    const options = buildClientOptions({ ...settings, webVersion: '2.3000.1', webVersionCacheDir: '/data/web-cache' });
    expect(options.webVersion).toBe('2.3000.1');
    expect(options.webVersionCache).toEqual({ type: 'local', path: '/data/web-cache', strict: true });
  });

  it('builds new objects every time, because the client mutates them', () => {
    const first = buildClientOptions(settings);
    const second = buildClientOptions(settings);
    expect(second).not.toBe(first);
    expect(second.puppeteer).not.toBe(first.puppeteer);
    expect(second.authStrategy).not.toBe(first.authStrategy);
    first.puppeteer!.args!.push('--mutated');
    expect(buildClientOptions(settings).puppeteer?.args).toEqual(['--remote-debugging-pipe', '--no-sandbox']);
  });
});

describe('the stored-login folder', () => {
  it('is where LocalAuth puts the Chrome profile', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'local-auth-'));
    const options = buildClientOptions({ ...settings, dataDir });
    const strategy = options.authStrategy as unknown as { setup(client: unknown): void; beforeBrowserInitialized(): Promise<void> };
    strategy.setup({ options });
    await strategy.beforeBrowserInitialized();
    expect(options.puppeteer?.userDataDir).toBe(storedLoginDir(dataDir, 'alpha'));
  });
});
