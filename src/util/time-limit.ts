/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms`. A late
 * rejection of `promise` stays handled (the race subscribed to it). Used
 * wherever the gateway waits on something that may never answer: the
 * browser (whatsapp-web.js has no time limits of its own) and a session's
 * first QR or connection.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}
