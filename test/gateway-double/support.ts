/** What the real-engine gateway tests share beyond double/: waiting on a condition, and fixtures. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, vi } from 'vitest';
import type { DoubleGateway } from '../../double/gateway';
import { expectNoChromium, killChromium } from '../../double/processes';

/** A valid 1x1 PNG, for media fixtures and incoming images. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** vi.waitUntil, with an error that says what it waited for. */
export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const value = await vi.waitUntil(probe, { timeout: timeoutMs, interval: intervalMs }).catch(() => undefined);
  if (value === undefined || value === false) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  return value;
}

/** Closes a gateway on the double (if it started), then checks that no Chromium of its DATA_DIR (`<root>/data`) is left, and removes `root`. */
export async function closeAndCheckClean(gw: DoubleGateway | undefined, root: string): Promise<void> {
  await gw?.close();
  // A browser killed by the close takes a moment to be gone; what is left after 3 s is a leak.
  await expectNoChromium(path.join(root, 'data')).catch(() => {});
  const leftovers = killChromium(path.join(root, 'data'));
  await fs.rm(root, { recursive: true, force: true });
  expect(leftovers).toBe(0);
}

/** Only for checks that nothing happens, where no event can say so, and for sampling. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
