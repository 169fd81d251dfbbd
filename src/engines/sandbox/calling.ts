/** Sandbox calls: they ring until declined; declining one that is not ringing fails as it would on WhatsApp Web. */
import { GatewayError } from '../../protocol/errors';
import { dropOldest } from '../../util/bounded-map';
import type { Calls } from '../capabilities/receiving';

const MAX_RINGING = 100;

export class SandboxCalling implements Calls {
  private readonly ringing = new Map<string, true>();

  ring(callId: string): void {
    this.ringing.set(callId, true);
    dropOldest(this.ringing, MAX_RINGING);
  }

  async reject(callId: string): Promise<void> {
    if (!this.ringing.delete(callId)) throw new GatewayError('engine_error', `call ${callId} is not ringing`);
  }
}
