import type { Config } from '../config';
import type { Logger } from '../logger';
import type { SessionStorage } from '../storage/session-storage';
import type { Engine } from './engine';
import { SandboxEngine } from './sandbox/sandbox-engine';
import type { WwebjsEngineOptions } from './wwebjs/wwebjs-engine';

/** The wwebjs engine is loaded only when chosen: whatsapp-web.js and puppeteer are heavy to load. */
export async function createEngine(config: Config, storage: SessionStorage, logger: Logger): Promise<Engine> {
  if (config.WA_ENGINE === 'sandbox') {
    return new SandboxEngine({
      storage,
      scanMs: config.SANDBOX_SCAN_MS,
      replyMs: config.SANDBOX_REPLY_MS,
      echo: config.SANDBOX_ECHO,
      qrRefreshMs: config.SANDBOX_QR_REFRESH_MS,
    });
  }
  const { WwebjsEngine } = await import('./wwebjs/wwebjs-engine');
  return new WwebjsEngine(wwebjsEngineOptions(config, logger));
}

export function wwebjsEngineOptions(config: Config, logger: Logger): WwebjsEngineOptions {
  return {
    dataDir: config.dataDir,
    chromePath: config.CHROME_PATH,
    chromeArgs: config.CHROME_ARGS,
    webVersion: config.WWEBJS_WEB_VERSION,
    webVersionCacheDir: config.WWEBJS_WEB_CACHE_DIR,
    logger,
    timeouts: { readyTimeoutMs: config.WWEBJS_READY_TIMEOUT_MS },
    pairingCodeIntervalMs: config.WWEBJS_PAIRING_CODE_INTERVAL_MS,
  };
}
