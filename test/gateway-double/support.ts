/** What the real-engine gateway tests share beyond double/: waiting on a condition, and fixtures. */
import { vi } from 'vitest';

/** A valid 1x1 PNG, for media fixtures and incoming images. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** vi.waitUntil, with an error that says what it waited for. */
export async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const value = await vi.waitUntil(probe, { timeout: timeoutMs, interval: intervalMs }).catch(() => undefined);
  if (value === undefined || value === false) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  return value;
}

/** Only for checks that nothing happens, where no event can say so, and for sampling. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
