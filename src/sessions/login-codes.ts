/**
 * The QR codes and pairing codes of one launch: the latest of each, and how many were shown, so the
 * session ends `qr_timeout` after QR_MAX_ATTEMPTS (PAIRING_CODE_MAX_ATTEMPTS) codes nobody used.
 */
import type { ServerPayload } from '../protocol/events';

interface LoginCodeLimits {
  qrMaxAttempts: number;
  pairingCodeMaxAttempts: number;
}

export class LoginCodes {
  private qr?: ServerPayload<'qr_code'>;
  private pairingCode?: ServerPayload<'pairing_code'>;
  private qrAttempts = 0;
  private pairingCodeAttempts = 0;

  constructor(private readonly limits: LoginCodeLimits) {}

  get latestQr(): ServerPayload<'qr_code'> | undefined {
    return this.qr;
  }

  get latestPairingCode(): ServerPayload<'pairing_code'> | undefined {
    return this.pairingCode;
  }

  /** A new launch counts its codes from 1. */
  reset(): void {
    this.qrAttempts = 0;
    this.qr = undefined;
    this.pairingCodeAttempts = 0;
    this.pairingCode = undefined;
  }

  /** Logged in: no code is shown any more. */
  clear(): void {
    this.qr = undefined;
    this.pairingCode = undefined;
  }

  /** Counts a QR code the engine showed; false once it is one more than QR_MAX_ATTEMPTS. */
  countQr(): boolean {
    this.qrAttempts += 1;
    return this.qrAttempts <= this.limits.qrMaxAttempts;
  }

  showQr(sessionId: string, qrCode: string, qr: string): ServerPayload<'qr_code'> {
    this.qr = { sessionId, qrCode, qr, attempt: this.qrAttempts };
    return this.qr;
  }

  /** Counts a pairing code the engine showed; false once it is one more than PAIRING_CODE_MAX_ATTEMPTS. */
  countPairingCode(): boolean {
    this.pairingCodeAttempts += 1;
    return this.pairingCodeAttempts <= this.limits.pairingCodeMaxAttempts;
  }

  showPairingCode(sessionId: string, code: string, phoneNumber: string): ServerPayload<'pairing_code'> {
    this.pairingCode = { sessionId, code, phoneNumber, attempt: this.pairingCodeAttempts };
    return this.pairingCode;
  }
}
