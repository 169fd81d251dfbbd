/**
 * The Chromium side of the wwebjs engine: which executable to launch, with
 * which flags, and the clean-up a crashed or recreated container needs.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer';
import { GatewayError } from '../../protocol/errors';
import { isErrnoException } from '../../util/errno';

const SYSTEM_BROWSERS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Safe in containers (no sandbox, no /dev/shm) and lean: one renderer, a capped JS heap, no background traffic. */
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
  '--renderer-process-limit=1',
  '--js-flags=--max-old-space-size=256',
  // Chromium 15x preloads the omnibox popup as a WebUI page in a renderer of its own, which a headless
  // browser never shows: about 40 MB PSS per extra browser (bench/browser-memory.ts, docs/performance.md).
  // Puppeteer merges this with its own --disable-features list; unknown names are ignored.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
];

const PROFILE_LOCK_FILES = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

/** The system browsers, then the one puppeteer may have downloaded. */
export function browserCandidates(): string[] {
  return [...SYSTEM_BROWSERS, ...bundledBrowser()];
}

/**
 * The browser to launch: CHROME_PATH when set (it must exist: a wrong
 * setting fails loudly instead of silently using another browser), else
 * the first candidate that is an executable file.
 */
export function findBrowser(chromePath: string | undefined, candidates: readonly string[] = browserCandidates()): string {
  if (chromePath !== undefined) {
    if (isExecutableFile(chromePath)) return chromePath;
    throw new GatewayError(
      'browser_not_found',
      `CHROME_PATH=${chromePath} is not an executable file; fix it, or unset it to use an installed Chromium (install one with "apt-get install -y chromium")`,
    );
  }
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  throw new GatewayError(
    'browser_not_found',
    `No Chromium or Chrome found (looked at ${candidates.join(', ')}). Install one with "apt-get install -y chromium", or set CHROME_PATH to a browser executable.`,
  );
}

export function launchArgs(extraArgs: readonly string[]): string[] {
  return [...BASE_ARGS, ...extraArgs];
}

/**
 * Chromium refuses a profile whose `SingletonLock` (a symlink to
 * `<hostname>-<pid>`) names another host, which is what a recreated
 * container on a persisted volume sees after a crash. Remove the lock when
 * its owner is gone; a lock held by a live process of this host stays.
 * Returns whether a lock was removed.
 */
export function clearStaleProfileLock(profileDir: string, hostname: string = os.hostname()): boolean {
  const owner = readLockOwner(path.join(profileDir, 'SingletonLock'));
  if (!owner || (owner.hostname === hostname && isProcessAlive(owner.pid))) return false;
  for (const file of PROFILE_LOCK_FILES) fs.rmSync(path.join(profileDir, file), { force: true });
  return true;
}

/**
 * SIGKILL a whole process group. Puppeteer launches Chromium detached (see
 * launch() in @puppeteer/browsers), so the browser leads its own group.
 */
export function killProcessGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (error) {
    if (!isErrnoException(error, 'ESRCH')) throw error;
  }
}

/**
 * Puppeteer listens for errors on the browser's pipes only until it closes the connection; a write
 * that failed just before (EPIPE: the browser died while a page callback answered) is reported just
 * after, with no listener left, and would crash the gateway as an uncaught exception. The browser's
 * death is reported by its 'disconnected' event; the write error itself is only passed to `onError`.
 */
export function keepPipeErrorsHandled(browser: ChildProcess | null, onError: (error: Error) => void): void {
  for (const stream of browser?.stdio ?? []) stream?.on('error', onError);
}

/** A zombie (killed, not yet reaped: its gateway was killed too, and no init reaps) counts as gone. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return isErrnoException(error, 'EPERM');
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc here, or gone meanwhile: the signal check stands
  }
}

function readLockOwner(lockPath: string): { hostname: string; pid: number } | null {
  let target: string;
  try {
    target = fs.readlinkSync(lockPath);
  } catch {
    return null; // no lock, or not a symlink: nothing Chromium would trip over
  }
  const match = /^(.+)-(\d+)$/.exec(target);
  return match ? { hostname: match[1]!, pid: Number(match[2]) } : null;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function bundledBrowser(): string[] {
  try {
    return [puppeteer.executablePath()];
  } catch {
    return []; // puppeteer throws on platforms it has no Chrome build for (e.g. Linux on ARM)
  }
}
