/**
 * REJECT_CALLS: every call a session is told about is declined at once, and, with
 * REJECT_CALLS_MESSAGE, the caller gets that text, sent like any other message (outbox, queue,
 * message_sent). A call that cannot be declined (the session went away, the engine cannot) is logged.
 */
import type { IncomingCall } from '../engines/capabilities/receiving';
import type { Logger } from '../logger';
import type { RequestPayload } from '../protocol/events';
import type { Session } from './session';

interface CallRejectionDeps {
  /** REJECT_CALLS_MESSAGE, when set. */
  message?: string;
  send: (request: RequestPayload<'send_whatsapp_message'>) => Promise<unknown>;
  logger: Logger;
}

export class CallRejection {
  constructor(private readonly deps: CallRejectionDeps) {}

  /** For SessionDeps.onCall: never throws. */
  readonly handle = (session: Session, call: IncomingCall): void => {
    void this.reject(session, call).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, sessionId: session.id, callId: call.callId }, 'declining a call failed'),
    );
  };

  private async reject(session: Session, call: IncomingCall): Promise<void> {
    const { calling } = session.connectedEngine();
    if (!calling) throw new Error('this engine cannot decline calls');
    await calling.reject(call.callId);
    const { message } = this.deps;
    if (message) await this.deps.send({ sessionId: session.id, to: call.from, type: 'text', message });
  }
}
