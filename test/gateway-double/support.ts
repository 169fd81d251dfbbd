/** What the real-engine gateway tests share beyond double/: a paired session, waiting on a condition, and fixtures. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { startAndPairKeepingPhone, startDoubleGateway, type DoubleGateway, type EventLog, type Phone } from '../../double/gateway';
import type { DoubleProfile } from '../../double/harness';
import { expectNoChromium, killChromium } from '../../double/processes';
import type { GatewayClient } from '../../src/client/gateway-client';
import type { ServerPayload } from '../../src/protocol/events';
import { makeTempRoot } from '../support/sandbox-gateway';

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

export interface PairedOnDouble {
  root: string;
  gw: DoubleGateway;
  /** A client whose events are recorded from the start; it started the session. */
  log: EventLog;
  /** A second client, for the requests. */
  api: GatewayClient;
  /** The phone, connected for the tests to play. */
  device: Phone;
  connected: ServerPayload<'session_connected'>;
}

export interface PairedOnDoubleOptions {
  /** The gateway's environment on top of startDoubleGateway's. */
  env?: Record<string, string>;
  /** Files to put in MEDIA_DIR (`<root>/media`) before the gateway starts. */
  mediaFiles?: Record<string, Buffer>;
}

/**
 * For a describe block about one session on the `profile` double: before all its tests a gateway in
 * a new root, its two clients and `sessionId` paired with the phone kept; after them the phone let go
 * and closeAndCheckClean. The answer's fields are set by that beforeAll: read them in hooks and tests.
 */
export function pairedOnDouble(
  sessionId: string,
  profile: DoubleProfile,
  { env = {}, mediaFiles = {} }: PairedOnDoubleOptions = {},
): PairedOnDouble {
  const paired = {} as PairedOnDouble;
  beforeAll(async () => {
    paired.root = await makeTempRoot();
    for (const [name, bytes] of Object.entries(mediaFiles)) await fs.writeFile(path.join(paired.root, 'media', name), bytes);
    paired.gw = await startDoubleGateway(paired.root, env, { profile });
    paired.log = await paired.gw.client();
    paired.api = (await paired.gw.client()).client;
    Object.assign(paired, await startAndPairKeepingPhone(paired.gw, paired.log, sessionId));
  });
  afterAll(async () => {
    await paired.device?.disconnect();
    await closeAndCheckClean(paired.gw, paired.root);
  });
  return paired;
}

/** Only for checks that nothing happens, where no event can say so, and for sampling. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
