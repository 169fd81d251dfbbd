/**
 * The QR codes and pairing codes the engine shows while a session logs in: counted (login-codes.ts),
 * published, and the session ended `qr_timeout` once QR_MAX_ATTEMPTS (PAIRING_CODE_MAX_ATTEMPTS)
 * codes went unused. A code shown lets the launch waiting for it go on.
 */
import type { EngineSlot } from './engine-slot';
import type { LoginCodes } from './login-codes';
import type { SessionEmitter } from './publisher';
import { renderQr } from './qr-renderer';
import type { RestartPolicy, SessionControls } from './restart-policy';

export interface LoginEventsDeps {
  sessionId: string;
  codes: LoginCodes;
  slot: EngineSlot;
  controls: Pick<SessionControls, 'setStatus'>;
  policy: Pick<RestartPolicy, 'endOnItsOwn'>;
  emit: SessionEmitter;
}

export class LoginEvents {
  constructor(private readonly deps: LoginEventsDeps) {}

  async onQr(qr: string): Promise<void> {
    const { sessionId, codes, slot, controls, policy, emit } = this.deps;
    if (!codes.countQr()) {
      await policy.endOnItsOwn('qr_timeout', 'disconnected');
      return;
    }
    const generation = slot.current;
    const qrCode = await renderQr(qr);
    if (!slot.isCurrent(generation)) return;
    const shown = codes.showQr(sessionId, qrCode, qr);
    slot.signalFirst();
    controls.setStatus('qr');
    emit('qr_code', shown);
  }

  /** Like QR codes: shown until entered, and the session ends `qr_timeout` after PAIRING_CODE_MAX_ATTEMPTS of them. */
  async onPairingCode(code: string, phoneNumber: string | undefined): Promise<void> {
    const { sessionId, codes, slot, controls, policy, emit } = this.deps;
    if (!phoneNumber) return;
    if (!codes.countPairingCode()) {
      await policy.endOnItsOwn('qr_timeout', 'disconnected');
      return;
    }
    const shown = codes.showPairingCode(sessionId, code, phoneNumber);
    slot.signalFirst();
    controls.setStatus('pairing');
    emit('pairing_code', shown);
  }
}
