/**
 * whatsapp-web.js waits on the browser without time limits (`goto` with
 * `timeout: 0`, page calls on a dead page); every call the session makes
 * goes through this.
 */

/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms`. A late
 * rejection of `promise` stays handled (the race subscribed to it).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}
