/** Declining calls through whatsapp-web.js: the library's Call objects, kept while a call may still ring. */
import type wwebjs from 'whatsapp-web.js';
import { GatewayError } from '../../protocol/errors';
import { dropOldest } from '../../util/bounded-map';
import type { Calls } from '../capabilities/receiving';
import type { ClientCalls } from './client-calls';

const KEPT_CALLS = 100;

type RejectableCall = Pick<wwebjs.Call, 'id' | 'reject'>;

export class WwebjsCalling implements Calls {
  private readonly ringing = new Map<string, RejectableCall>();

  constructor(private readonly calls: ClientCalls) {}

  /** Remembers a call the library reported; false when it was reported before (the page reports every change of a call). */
  noteCall(call: RejectableCall): boolean {
    const id = String(call.id);
    if (this.ringing.has(id)) return false;
    this.ringing.set(id, call);
    dropOldest(this.ringing, KEPT_CALLS);
    return true;
  }

  async reject(callId: string): Promise<void> {
    const call = this.ringing.get(callId);
    if (!call) throw new GatewayError('engine_error', `no call ${callId} is known to this session`);
    await this.calls.run('call rejection', () => call.reject());
  }
}
