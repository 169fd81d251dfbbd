/** PRINT_QR=1: QR codes in the terminal, for servers without a browser nearby. */
import QRCode from 'qrcode';
import { tapped, type Publisher } from '../sessions/publisher';

export function printQrCodes(publish: Publisher, write = (text: string) => process.stdout.write(text)): Publisher {
  return tapped(publish, (sessionId, e) => {
    if (e.event !== 'qr_code') return;
    const { qr, attempt } = e.payload;
    void QRCode.toString(qr, { type: 'terminal', small: true }).then((art) =>
      write(`\nSession "${sessionId}": scan with WhatsApp > Linked devices (QR ${attempt})\n${art}\n`),
    );
  });
}
