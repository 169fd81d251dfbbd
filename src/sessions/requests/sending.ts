/**
 * send_whatsapp_message, on one straight path: check the request, take it into the outbox (the
 * moment it is accepted: from then on it is sent or reported, across restarts), and answer its
 * outcome once the session's queue has carried it out. A repeated clientMessageId answers the first
 * outcome from the store, waits for it while it is under way, and tries again only after a failure.
 */
import { GatewayError } from '../../protocol/errors';
import type { RequestPayload, RequestResult } from '../../protocol/events';
import type { Store } from '../../storage/store';
import type { Delivery } from '../delivery/delivery';
import { recordedOutcome, type Outcome } from '../delivery/outcome';
import { release, toOutgoing, type OutgoingPolicy } from '../delivery/outgoing';
import type { Recovery } from '../delivery/recovery';
import { KeyedSerial } from '../keyed-serial';
import { PublishedError, type Answer } from '../publisher';
import { NO_PLACE, type Place } from '../send-queue';
import type { SessionManager } from '../session-manager';

type SendRequest = RequestPayload<'send_whatsapp_message'>;
type MessageSent = RequestResult<'send_whatsapp_message'>;

interface SendingDeps {
  manager: SessionManager;
  store: Store;
  delivery: Delivery;
  recovery: Recovery;
  policy: OutgoingPolicy;
  /** Wraps every send, e.g. to time it for metrics. */
  observe?: <T>(sessionId: string, send: Promise<T>) => Promise<T>;
}

/** An outcome, and whether it was published while this request waited (rather than read back from the store). */
interface Awaited {
  outcome: Promise<Outcome>;
  published: boolean;
}

export class Sending {
  /** Looking a clientMessageId up and taking it in happen as one step per id. */
  private readonly admissions = new KeyedSerial();

  constructor(private readonly deps: SendingDeps) {}

  async send(request: SendRequest): Promise<Answer<MessageSent>> {
    const place = this.deps.manager.find(request.sessionId)?.queue.takePlace() ?? NO_PLACE;
    const admitted = this.admit(request, place);
    void admitted.then(place.leave, place.leave);
    const answer = admitted.then(({ outcome, published }) => outcome.then((o) => answerWith(request.sessionId, o, published)));
    return this.deps.observe ? this.deps.observe(request.sessionId, answer) : answer;
  }

  /** A known clientMessageId is answered from the outbox, also while its session is not running (after a restart). */
  private admit(request: SendRequest, place: Place): Promise<Awaited> {
    const { clientMessageId } = request;
    if (clientMessageId === undefined) return this.accept(request, place);
    return this.admissions.run(`${request.sessionId}\u0000${clientMessageId}`, async () => {
      const known = await this.deps.store.outbox.byClientMessageId(request.sessionId, clientMessageId);
      if (!known || known.state === 'failed') return this.accept(request, place);
      const recorded = recordedOutcome(known);
      if (recorded) return { outcome: Promise.resolve(recorded), published: false };
      const underWay = this.deps.delivery.outcomeOf(known.id) ?? this.deps.recovery.outcomeOf(known.id);
      return { outcome: underWay ?? Promise.resolve(stillQueued()), published: true };
    });
  }

  /** Checked, stored, queued in its place; resolves once the outbox holds it (or refuses it), before it is sent. */
  private async accept(request: SendRequest, place: Place): Promise<Awaited> {
    const session = this.deps.manager.get(request.sessionId);
    const message = await toOutgoing(request, this.deps.policy);
    try {
      await place.ready;
      session.connectedEngine();
      session.queue.assertRoom();
    } catch (error) {
      release(message);
      throw error;
    }
    const added = this.deps.store.outbox.add(session.id, request, Date.now());
    const outcome = this.deps.delivery.enqueue(session, request.to, added, message);
    place.leave();
    await added.catch(() => undefined);
    return { outcome, published: true };
  }
}

function answerWith(sessionId: string, outcome: Outcome, published: boolean): Answer<MessageSent> {
  if (outcome.state === 'pending') throw outcome.error;
  if (outcome.state === 'sent') return { data: outcome.event, ...(published && { publishedFor: sessionId }) };
  const error = new GatewayError(outcome.event.code, outcome.event.message);
  throw published ? new PublishedError(error, sessionId) : error;
}

/** An unfinished entry nothing in this process carries out: it cannot happen while the outbox and the queues agree. */
function stillQueued(): Outcome {
  const message = 'the message is in the outbox and not sent yet; its outcome follows as message_sent or send_error';
  return { state: 'pending', error: new GatewayError('send_pending', message) };
}
