/** PRINT_QR=1: QR codes (and pairing codes) in the terminal, for servers without a browser nearby. */
import QRCode from 'qrcode';
import { tapped, type Publisher } from '../sessions/publisher';

export function printQrCodes(publish: Publisher, write = (text: string) => process.stdout.write(text)): Publisher {
  return tapped(publish, (sessionId, e) => {
    if (e.event === 'pairing_code') {
      const { code, phoneNumber, attempt } = e.payload;
      write(
        `\nSession "${sessionId}": on the phone of ${phoneNumber}, WhatsApp > Linked devices > Link with phone number, enter (code ${attempt})\n  ${code.slice(0, 4)}-${code.slice(4)}\n\n`,
      );
      return;
    }
    if (e.event !== 'qr_code') return;
    const { qr, attempt } = e.payload;
    void QRCode.toString(qr, { type: 'terminal', small: true }).then((art) =>
      write(`\nSession "${sessionId}": scan with WhatsApp > Linked devices (QR ${attempt})\n${art}\n`),
    );
  });
}
