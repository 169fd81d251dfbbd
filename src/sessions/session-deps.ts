/** What a session is built from: its engine, its settings, and the hooks the gateway runs on its events. */
import type { Engine } from '../engines/engine';
import type { IncomingCall } from '../engines/capabilities/receiving';
import type { Logger } from '../logger';
import type { SessionStorage } from '../storage/session-storage';
import type { MediaAutoDownload } from './media-auto-download';
import type { SessionEmitter } from './publisher';
import type { SendPacing } from './send-queue';
import type { Session } from './session';
import type { StartLimiter } from './start-limiter';

export interface SessionOptions {
  startTimeoutMs: number;
  qrMaxAttempts: number;
  pairingCodeMaxAttempts: number;
  restartMaxAttempts: number;
  restartBaseDelayMs: number;
  sendQueueMax: number;
  /** SEND_CONCURRENCY: sends to different chats at once. */
  sendConcurrency: number;
  sendPacing: SendPacing;
}

export interface SessionDeps {
  engine: Engine;
  limiter: StartLimiter;
  storage: SessionStorage;
  emit: SessionEmitter;
  logger: Logger;
  options: SessionOptions;
  /** Called each time the session becomes connected, right after session_connected (the outbox resumes then). */
  onConnected?: (session: Session) => void;
  /** Called for each incoming call, right after call_received (REJECT_CALLS declines it then). */
  onCall?: (session: Session, call: IncomingCall) => void;
  /** MEDIA_AUTO_DOWNLOAD: keeps an incoming message's file before the message is published. */
  autoDownload?: MediaAutoDownload;
}
