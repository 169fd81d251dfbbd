/**
 * `npm run start:double`: the gateway with the REAL engine (whatsapp-web.js driving headless Chromium)
 * against the WhatsApp Web double (double/) instead of web.whatsapp.com. Offline, no phone, no
 * WhatsApp account: a way to try the whole stack, browser included, on any machine with Chromium.
 *
 *   npm run start:double                       (tsx scripts/start-double.ts)
 *   PORT=3001 SANDBOX_SCAN_MS=1000 npm run start:double
 *
 * Like `npm start` it loads .env and every gateway setting, then forces WA_ENGINE=wwebjs and points
 * WWEBJS_WEB_VERSION / WWEBJS_WEB_CACHE_DIR at the double (written to a temp folder, removed on exit).
 * The double runs in auto mode: it "scans" its own QR SANDBOX_SCAN_MS (default 3000) after showing it,
 * replies `echo: <text>` to every send (media: the same file, caption `echo: <type>`), moves acks to
 * server, device and read, and treats numbers ending in 000 as not on WhatsApp. QR codes rotate every
 * SANDBOX_QR_REFRESH_MS (default 20000).
 *
 * DOUBLE_PROFILE picks which WhatsApp Web it models (double/README.md, "Profiles"): 2026-07-lid,
 * the site of today, unless set to 2026-07 or legacy.
 *
 * Logins of the double are not WhatsApp logins: DATA_DIR is honoured only when set in the real
 * environment, otherwise (even when .env sets one for real use) they go to .wwebjs_cache/double/auth.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../src/config';
import { runGateway } from '../src/run-gateway';
import { DOUBLE_PROFILES, prepareDoubleCache, type DoubleProfile } from '../double/harness';

const ROOT = path.resolve(__dirname, '..');
const DOUBLE_DATA_DIR = path.join(ROOT, '.wwebjs_cache', 'double', 'auth');

function configure(cacheDir: string): Config {
  const dataDir = process.env.DATA_DIR || DOUBLE_DATA_DIR;
  loadDotEnv();
  const base = loadConfig({ ...process.env, WA_ENGINE: 'wwebjs', DATA_DIR: dataDir });
  const profile = (process.env.DOUBLE_PROFILE || '2026-07-lid') as DoubleProfile;
  if (!(profile in DOUBLE_PROFILES))
    throw new ConfigError(`Invalid DOUBLE_PROFILE=${profile}: one of ${Object.keys(DOUBLE_PROFILES).join(', ')}`);
  const cache = prepareDoubleCache(cacheDir, {
    profile,
    auto: true,
    scanAfterMs: base.SANDBOX_SCAN_MS,
    qrRefreshMs: base.SANDBOX_QR_REFRESH_MS,
  });
  return { ...base, WWEBJS_WEB_VERSION: cache.webVersion, WWEBJS_WEB_CACHE_DIR: cache.webVersionCache.path };
}

const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'wa-double-web-'));

void runGateway(() => configure(cacheDir), {
  onExit: () => rmSync(cacheDir, { recursive: true, force: true }),
  onStart: (config, logger) =>
    logger.info(
      { dataDir: config.dataDir, webCacheDir: cacheDir, scanAfterMs: config.SANDBOX_SCAN_MS },
      'real engine against the WhatsApp Web double: it pairs by itself after the QR, echoes sends; numbers ending in 000 are not on WhatsApp',
    ),
});
