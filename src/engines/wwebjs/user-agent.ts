/**
 * The user agent the browser presents to WhatsApp Web. whatsapp-web.js claims Chrome 101 on macOS
 * whatever actually runs; WhatsApp Web checks the browser's version and may treat one that old as
 * outdated. We present the Chromium that really runs, on the OS it really runs on.
 */
import { execFileSync } from 'node:child_process';

const VERSION = /(?:Chromium|Chrome|Google Chrome)\s+(\d+)\.\d+\.\d+\.\d+/;
const known = new Map<string, string | undefined>();

/** The user agent for the browser at `executablePath` (asked once per path), or undefined when it does not say its version. */
export function userAgentOf(executablePath: string): string | undefined {
  if (!known.has(executablePath)) {
    const version = browserVersion(executablePath);
    known.set(executablePath, version && userAgentFor(version));
  }
  return known.get(executablePath);
}

/** The version an executable reports with `--version` (e.g. "156.0.8078.114"), or undefined if it is not Chromium. */
export function browserVersion(executablePath: string): string | undefined {
  try {
    const output = execFileSync(executablePath, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return VERSION.exec(output)?.[0].split(/\s+/).pop();
  } catch {
    return undefined;
  }
}

/**
 * Chrome's own reduced user agent for a version: only the major version is real, the rest is zeros
 * (what Chrome itself has sent since version 110), on Linux x86_64.
 */
export function userAgentFor(version: string): string {
  const major = version.split('.')[0];
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;
}
