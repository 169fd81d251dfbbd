/** The wwebjs engine with the real whatsapp-web.js Client in real Chromium, against the WhatsApp Web double. */
import path from 'node:path';
import { vi, type Mock } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { EngineListener } from '../../../src/engines/engine';
import { WwebjsEngine, type WwebjsEngineOptions } from '../../../src/engines/wwebjs/wwebjs-engine';
import { silentLogger } from '../../../src/logger';
import type { DoubleCacheOptions } from '../../../double/harness';

export type MockListener = { [K in keyof EngineListener]: Mock<EngineListener[K]> };

export function mockListener(): MockListener {
  return { onQr: vi.fn(), onPairingCode: vi.fn(), onConnected: vi.fn(), onDisconnected: vi.fn(), onMessage: vi.fn(), onAck: vi.fn() };
}

/** Logins live in `dir`/auth; `onClient` receives each library Client the engine creates. */
export function engineOnDouble(
  dir: string,
  cache: DoubleCacheOptions,
  onClient: (client: wwebjs.Client) => void,
  timeouts?: WwebjsEngineOptions['timeouts'],
): WwebjsEngine {
  return new WwebjsEngine({
    dataDir: path.join(dir, 'auth'),
    chromePath: process.env.CHROME_PATH,
    chromeArgs: [],
    webVersion: cache.webVersion,
    webVersionCacheDir: cache.webVersionCache.path,
    logger: silentLogger,
    createClient: (options) => {
      const client = new wwebjs.Client(options);
      onClient(client);
      return client;
    },
    ...(timeouts && { timeouts }),
  });
}
