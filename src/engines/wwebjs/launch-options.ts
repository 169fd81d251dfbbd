/** What a session's client is launched with: the browser found, its flags and user agent, and the way it logs in. */
import type wwebjs from 'whatsapp-web.js';
import type { Logger } from '../../logger';
import { storedLoginDir } from '../../storage/session-storage';
import type { LoginOptions } from '../engine';
import { clearStaleProfileLock, findBrowser, launchArgs } from './browser';
import { buildClientOptions } from './client';
import type { SessionSettings } from './settings';
import { userAgentOf } from './user-agent';

export interface LaunchOptions {
  executablePath: string;
  options: wwebjs.ClientOptions;
}

/** Clears a stale lock on the session's browser profile first, so the browser can open it. */
export function launchOptions(sessionId: string, settings: SessionSettings, login: LoginOptions, log: Logger): LaunchOptions {
  const { dataDir, chromePath, chromeArgs, webVersion, webVersionCacheDir, pairingCodeIntervalMs } = settings;
  const { pairWithPhoneNumber } = login;
  const executablePath = findBrowser(chromePath);
  if (clearStaleProfileLock(storedLoginDir(dataDir, sessionId))) log.warn('removed a stale browser profile lock');
  const options = buildClientOptions({
    sessionId,
    dataDir,
    executablePath,
    args: launchArgs(chromeArgs),
    userAgent: userAgentOf(executablePath),
    webVersion,
    webVersionCacheDir,
    ...(pairWithPhoneNumber && { pairing: { phoneNumber: pairWithPhoneNumber, intervalMs: pairingCodeIntervalMs } }),
  });
  return { executablePath, options };
}
