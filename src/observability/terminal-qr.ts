/** PRINT_QR=1: QR codes in the terminal, for servers without a browser nearby. */
import QRCode from 'qrcode';
import type { ServerEventName, ServerPayload } from '../protocol/events';
import type { SessionEmitter } from '../sessions/session';

export function printQrCodes(publish: (sessionId: string) => SessionEmitter, write = (text: string) => process.stdout.write(text)) {
  return (sessionId: string): SessionEmitter => {
    const emit = publish(sessionId);
    return <E extends ServerEventName>(event: E, payload: ServerPayload<E>) => {
      emit(event, payload);
      if (event !== 'qr_code') return;
      const { qr, attempt } = payload as ServerPayload<'qr_code'>;
      void QRCode.toString(qr, { type: 'terminal', small: true }).then((art) =>
        write(`\nSession "${sessionId}": scan with WhatsApp > Linked devices (QR ${attempt})\n${art}\n`),
      );
    };
  };
}
