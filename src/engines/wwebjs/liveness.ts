/**
 * Events only say what the page reports; a hung or detached page reports nothing, so ask it.
 * Two failures in a row are needed: one probe can meet a page in the middle of a reload.
 */
import type { GatewayError } from '../../protocol/errors';

const LIVENESS_FAILURES = 2;

interface LivenessHooks {
  /** Asks the page something cheap; rejects when it does not answer. */
  probe: () => Promise<unknown>;
  /** True once the session is ending: no more probes. */
  hasEnded: () => boolean;
  /** The page stopped answering. */
  lost: (detail: string) => void;
}

/** Probes every `everyMs` until the returned timer is cleared. */
export function watchLiveness(everyMs: number, hooks: LivenessHooks): NodeJS.Timeout {
  let probing = false;
  let failures = 0;
  const timer = setInterval(() => {
    if (probing || hooks.hasEnded()) return;
    probing = true;
    hooks
      .probe()
      .then(
        () => (failures = 0),
        (error: GatewayError) => {
          failures += 1;
          if (failures >= LIVENESS_FAILURES) hooks.lost(`WhatsApp Web stopped answering: ${error.message}`);
        },
      )
      .finally(() => (probing = false));
  }, everyMs);
  timer.unref();
  return timer;
}
