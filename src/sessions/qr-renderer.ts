/**
 * QR strings to PNG data URLs, one at a time. Rendering a PNG takes a few
 * milliseconds of CPU; when many sessions start together their QRs would
 * otherwise render back to back in one tick and stall every socket.
 */
import QRCode from 'qrcode';

let queue: Promise<unknown> = Promise.resolve();

export function renderQr(qr: string): Promise<string> {
  const rendered = queue.then(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return QRCode.toDataURL(qr);
  });
  queue = rendered.catch(() => undefined);
  return rendered;
}
