/**
 * Logouts made from the phone: the library's disconnected('LOGOUT'), or, once connected, a socket
 * state saying this device was unlinked (the 2026 phone logout). Either way the stored login goes.
 */
import { promises as fs } from 'node:fs';
import type { Logger } from '../../logger';
import { storedLoginDir } from '../../storage/session-storage';
import { withTimeout } from '../../util/time-limit';
import type { LoginOptions } from '../engine';
import type { ClientLike } from './client';

/** Socket states that, once connected, mean this device was unlinked (the 2026 phone logout). */
export const UNLINKED_STATES = new Set(['UNPAIRED', 'UNPAIRED_IDLE']);

/** Resolves once the library shows the next login (a QR, or a pairing code) in this browser. */
export function nextLoginShown(client: ClientLike, login: LoginOptions): Promise<void> {
  const loginShown = login.pairWithPhoneNumber ? 'code' : 'qr';
  return new Promise<void>((resolve) => client.once(loginShown, () => resolve()));
}

/**
 * After a phone logout the library deletes the profile, re-creates its folder and then shows a
 * new QR in this browser. Once that QR is up it is done with the folder, which can go for good.
 */
export async function untilDoneWithProfile(relaunched: Promise<void>, phoneLogoutMs: number, log: Logger): Promise<void> {
  try {
    await withTimeout(relaunched, phoneLogoutMs, () => new Error(`no new QR within ${phoneLogoutMs} ms after the logout`));
  } catch (failure) {
    log.warn({ err: failure }, 'removing the stored login anyway');
  }
}

export function removeProfile(dataDir: string, sessionId: string): Promise<void> {
  return fs.rm(storedLoginDir(dataDir, sessionId), { recursive: true, force: true });
}
