/**
 * Calls whatsapp-web.js makes without awaiting them, wrapped so that their failures reach the session
 * instead of becoming unhandled rejections: its injection into every page load, and its requests
 * for a pairing code.
 */
import type { Logger } from '../../logger';
import type { ClientLike } from './client';

export interface GuardHooks {
  /** True once the session is ending: failures are no news then. */
  hasEnded: () => boolean;
  /** The session cannot go on with this page: it restarts. */
  lost: (detail: string) => void;
  log: Logger;
}

/**
 * The library injects itself into every page load: first from initialize(), later from its
 * unawaited 'framenavigated' listener. Each injection arms the ready watch (`injected`). A failure of
 * a later one (the browser closed under it after a phone logout, or a page that is not WhatsApp Web:
 * 'auth timeout') would be an unhandled rejection, and the page left without the library's hooks:
 * it is caught, ignored once the session is ending, else reported. The first one's failure fails start().
 */
export function guardInjections(client: ClientLike, injected: () => void, hooks: GuardHooks): void {
  const inject = client.inject;
  if (typeof inject !== 'function') return;
  let first = true;
  client.inject = async () => {
    const initial = first;
    first = false;
    try {
      await inject.call(client);
      if (!hooks.hasEnded()) injected();
    } catch (error) {
      if (initial) throw error;
      if (hooks.hasEnded()) return;
      hooks.log.warn({ err: error }, 'WhatsApp Web could not be re-attached after a page load');
      hooks.lost(`WhatsApp Web could not be re-attached after a page load (${String(error)})`);
    }
  };
}

/**
 * inject() asks for the pairing code without awaiting it: a request the page fails (or that a
 * closing browser cuts off) would be an unhandled rejection. Once the session is ending it is
 * ignored; otherwise the session cannot log in, and the restart tries again.
 */
export function guardPairingRequests(client: ClientLike, hooks: GuardHooks): void {
  const request = client.requestPairingCode;
  client.requestPairingCode = async (...args) => {
    try {
      return await request.apply(client, args);
    } catch (error) {
      if (!hooks.hasEnded()) hooks.lost(`WhatsApp Web gave no pairing code (${String(error)})`);
      return '';
    }
  };
}
