/**
 * The sends this gateway has under way or made, so that whatsapp-web.js's `message_create` copies of
 * them are not reported as messages from the phone. The page creates (and reports) a sent message
 * before sendMessage() returns its id: a message created while sends are under way waits for them,
 * then is the gateway's when one of them returned its id, or, for one that returned none (unconfirmed,
 * failed), when it has that send's type and text. Ids of finished sends are kept for copies reported
 * late; a send that stayed unconfirmed is matched once more by type and text.
 */
import { GatewayError } from '../../protocol/errors';
import { dropOldest } from '../../util/bounded-map';
import type { SentMessage } from '../capabilities/messaging';

/** What a send looked like, in WhatsApp Web's words: its possible message types and its text (or caption). */
export interface SendProbe {
  waTypes: readonly string[];
  /** Absent for the kinds whose copy has no comparable text (stickers, locations, cards): matched by type alone. */
  text?: string;
}

/** A message the page created for this account. */
interface CreatedMessage {
  id: string;
  waType: string;
  text: string;
}

interface Outcome {
  id?: string;
  probe: SendProbe;
}

const KEPT_IDS = 1_000;
const KEPT_UNCONFIRMED = 50;

export class GatewaySends {
  private readonly underWay = new Set<Promise<Outcome>>();
  private readonly sentIds = new Map<string, true>();
  private readonly unconfirmed: SendProbe[] = [];

  track(probe: SendProbe, send: () => Promise<SentMessage>): Promise<SentMessage> {
    const sent = send();
    const outcome = sent.then(
      ({ id }): Outcome => ({ id, probe }),
      (error: unknown): Outcome => {
        if (error instanceof GatewayError && error.code === 'send_unconfirmed') this.keepUnconfirmed(probe);
        return { probe };
      },
    );
    this.underWay.add(outcome);
    void outcome.then(({ id }) => {
      this.underWay.delete(outcome);
      if (id) this.keepId(id);
    });
    return sent;
  }

  /** Whether the gateway sent `message`; waits for the sends under way when it was created. */
  async isGatewaySend(message: CreatedMessage): Promise<boolean> {
    if (this.sentIds.has(message.id)) return true;
    const outcomes = await Promise.all(this.underWay);
    if (outcomes.some((outcome) => outcome.id === message.id)) return true;
    const idless = outcomes.find((outcome) => outcome.id === undefined && matches(outcome.probe, message));
    const probe = idless?.probe ?? this.unconfirmed.find((kept) => matches(kept, message));
    if (!probe) return false;
    const kept = this.unconfirmed.indexOf(probe);
    if (kept !== -1) this.unconfirmed.splice(kept, 1); // each unconfirmed send has one copy
    return true;
  }

  private keepId(id: string): void {
    this.sentIds.set(id, true);
    dropOldest(this.sentIds, KEPT_IDS);
  }

  private keepUnconfirmed(probe: SendProbe): void {
    this.unconfirmed.push(probe);
    if (this.unconfirmed.length > KEPT_UNCONFIRMED) this.unconfirmed.shift();
  }
}

function matches(probe: SendProbe, message: CreatedMessage): boolean {
  return probe.waTypes.includes(message.waType) && (probe.text === undefined || probe.text === message.text);
}
