/** The wwebjs engine with the real whatsapp-web.js Client in real Chromium, against the WhatsApp Web double. */
import path from 'node:path';
import wwebjs from 'whatsapp-web.js';
import { WwebjsEngine, type WwebjsEngineOptions } from '../../../src/engines/wwebjs/wwebjs-engine';
import { silentLogger } from '../../../src/logger';
import type { DoubleCacheOptions } from '../../../double/harness';

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
