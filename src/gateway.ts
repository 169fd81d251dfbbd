/**
 * Puts the pieces together: storage, engine, sessions, HTTP and Socket.IO.
 * main.ts runs it for real; the tests run it on an ephemeral port.
 */
import { promises as fs } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createEngine } from './engines/create-engine';
import type { Engine } from './engines/engine';
import type { Logger } from './logger';
import { logSessionEvents } from './observability/event-log';
import { checkReadiness } from './observability/health';
import { GatewayMetrics } from './observability/metrics';
import { printQrCodes } from './observability/terminal-qr';
import { Admission } from './server/admission';
import { ApiKeys } from './server/api-keys';
import { AuthFailures } from './server/auth-failures';
import type { MessageLimits } from './server/connection-guard';
import { createHttpApp } from './server/http-app';
import { RateLimits, type RateLimitOptions } from './server/rate-limit';
import { createRequestHandlers } from './server/request-handlers';
import { attachRequestHandlers, createSocketServer } from './server/socket-server';
import type { GatewayIo } from './server/socket-types';
import { broadcast, sessionPublisher, Subscriptions } from './server/subscriptions';
import { Delivery, type DeliveryPolicy } from './sessions/delivery/delivery';
import { Recovery } from './sessions/delivery/recovery';
import { startUpkeep } from './sessions/delivery/upkeep';
import { Journal } from './sessions/journal';
import { CallRejection } from './sessions/call-rejection';
import { AccountRequests } from './sessions/requests/account';
import { CatchUp } from './sessions/catch-up';
import { CatchUpRequests } from './sessions/requests/catch-up';
import { ChatRequests } from './sessions/requests/chats';
import { ContactRequests } from './sessions/requests/contacts';
import { GroupInviteRequests } from './sessions/requests/group-invites';
import { GroupRequests } from './sessions/requests/groups';
import { MessageActionRequests } from './sessions/requests/message-actions';
import { MessageStatusRequests } from './sessions/requests/message-status';
import { MediaLinks } from './media/media-links';
import { MediaAutoDownload } from './sessions/media-auto-download';
import { MediaRequests } from './sessions/requests/media';
import { MessagingRequests } from './sessions/requests/messaging';
import { Sending } from './sessions/requests/sending';
import { SimulationRequests } from './sessions/requests/simulation';
import { SessionManager } from './sessions/session-manager';
import { openStore } from './storage/open-store';
import { SessionStorage } from './storage/session-storage';
import type { Store } from './storage/store';

export interface Gateway {
  url: string;
  io: GatewayIo;
  httpServer: HttpServer;
  manager: SessionManager;
  store: Store;
  /**
   * Graceful stop: refuse new requests, tell clients, let send queues drain
   * for up to SHUTDOWN_GRACE_MS (what is left stays in the outbox), stop every
   * session (keeping stored logins), close the store.
   */
  close(): Promise<void>;
}

/** What tests put in place of the configured engine or store. */
export interface GatewayParts {
  engine?: Engine;
  store?: Store;
}

export async function startGateway(config: Config, logger: Logger, parts: GatewayParts = {}): Promise<Gateway> {
  await fs.mkdir(config.dataDir, { recursive: true });
  const storage = new SessionStorage(config.dataDir, config.DATA_DIR_MIN_FREE_MB * 1024 * 1024);
  const engine = parts.engine ?? (await createEngine(config, storage, logger));
  const apiKeys = ApiKeys.load(config.API_KEY, config.API_KEYS_FILE);
  if (!apiKeys.required) {
    logger.warn('NO API KEY SET: anyone who can reach this port can read and send messages of every session. Set API_KEY.');
  }

  const mediaLinks = await MediaLinks.open(config.dataDir, config.MEDIA_LINK_TTL_MS);
  const authFailures = new AuthFailures({ maxFailures: config.AUTH_FAILURES_MAX, blockMs: config.AUTH_BLOCK_MS }, logger);
  const metrics = new GatewayMetrics(() => io.engine.clientsCount);
  const httpServer = createServer(
    createHttpApp({
      corsOrigins: config.CORS_ORIGINS,
      readiness: () => checkReadiness(storage, engine),
      metrics: metrics.registry,
      metricsToken: config.METRICS_TOKEN,
      apiKeys,
      authFailures,
      mediaLinks,
    }),
  );
  const rateLimits = new RateLimits(rateLimitOptions(config));
  const admission = new Admission({
    keys: apiKeys,
    corsOrigins: config.CORS_ORIGINS,
    limits: messageLimits(config),
    failures: authFailures,
    rateLimits,
    logger,
  });
  const io = createSocketServer(httpServer, {
    corsOrigins: config.CORS_ORIGINS,
    admission,
    authTimeoutMs: config.AUTH_TIMEOUT_MS,
    recoveryWindowMs: config.RECOVERY_WINDOW_MS,
  });
  let publish = metrics.observe(logSessionEvents(sessionPublisher(io, { recovery: config.RECOVERY_WINDOW_MS > 0 }), logger));
  if (config.PRINT_QR) publish = printQrCodes(publish);

  const store = parts.store ?? openStore({ kind: config.STORE, sync: config.STORE_SYNC, dataDir: config.dataDir });
  const journal = await Journal.open(store, publish, logger);
  const policy = deliveryPolicy(config);
  const delivery = new Delivery({ store, journal, logger, policy });
  const recovery = new Recovery(store, delivery, logger, config.OUTBOX_MAX_AGE_MS);
  await recovery.load();
  const catchUp = new CatchUp(store, { windowMs: config.BACKFILL_WINDOW_MS, maxMessages: config.BACKFILL_MAX_MESSAGES }, logger);
  const manager = new SessionManager({
    engine,
    storage,
    logger,
    publish: journal.publisher,
    options: sessionOptions(config),
    onConnected: (session) => recovery.resume(session),
    catchUp,
    ...(config.REJECT_CALLS && { onCall: (session, call) => callRejection.handle(session, call) }),
    ...(config.MEDIA_AUTO_DOWNLOAD && {
      autoDownload: new MediaAutoDownload(
        mediaLinks,
        { maxBytes: config.MEDIA_AUTO_MAX_BYTES, retentionMs: config.MEDIA_AUTO_RETENTION_MS },
        logger,
      ),
    }),
  });
  metrics.watch(() => manager.list());
  const stopUpkeep = startUpkeep(store, recovery, { ...upkeepPolicy(config), deliveredRetentionMs: catchUp.retentionMs }, logger);
  let closing = false;
  io.use((_socket, next) => next(closing ? new Error('shutting_down') : undefined));
  io.use(admission.authenticate);
  const requests = {
    manager,
    sending: new Sending({
      manager,
      store,
      delivery,
      recovery,
      policy,
      observe: (sessionId, send) => metrics.timeSend(sessionId, send),
    }),
    messageStatus: new MessageStatusRequests(store),
    messageActions: new MessageActionRequests(manager),
    messaging: new MessagingRequests(manager),
    media: new MediaRequests(manager, mediaLinks, {
      maxPayloadBytes: config.MAX_PAYLOAD_BYTES,
      maxDownloadBytes: config.MEDIA_DOWNLOAD_MAX_BYTES,
    }),
    contacts: new ContactRequests(manager),
    groupInvites: new GroupInviteRequests(manager),
    account: new AccountRequests(manager, policy.media),
    simulation: new SimulationRequests(manager),
    catchUp: new CatchUpRequests(engine),
    chats: new ChatRequests(manager),
    groups: new GroupRequests(manager, policy.media),
  };
  const callRejection = new CallRejection({
    message: config.REJECT_CALLS_MESSAGE,
    send: (request) => requests.sending.send(request),
    logger,
  });
  attachRequestHandlers(io, {
    handlers: createRequestHandlers(requests, { maxSessionsPerKey: config.MAX_SESSIONS_PER_KEY }),
    subscriptions: new Subscriptions(journal),
    rateLimits,
    logger,
    isClosing: () => closing,
  });
  metrics.startSampling(config.METRICS_MEMORY_SAMPLE_MS);

  // Restored sessions are listed before the first client can ask for them.
  if (config.AUTO_LOAD_SESSIONS) await restore(manager, apiKeys.required ? config.MAX_SESSIONS_PER_KEY : Number.POSITIVE_INFINITY, logger);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  }).catch(async (error: unknown) => {
    stopUpkeep();
    await manager.stopAll();
    await store.close();
    throw error;
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.info({ url, engine: engine.name }, 'gateway listening');

  return {
    url,
    io,
    httpServer,
    manager,
    store,
    close: async () => {
      if (closing) return;
      closing = true;
      metrics.stop();
      stopUpkeep();
      broadcast(io, 'gateway_shutdown', { graceMs: config.SHUTDOWN_GRACE_MS });
      await manager.drainQueues(config.SHUTDOWN_GRACE_MS);
      delivery.shutDown();
      await manager.stopAll();
      // Let the answers to cancelled sends reach their sockets before closing them.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await store.close();
      await mediaLinks.close();
    },
  };
}

/** A stored login that cannot start is listed as failed (and logged by the manager); the gateway serves anyway. */
async function restore(manager: SessionManager, perKeyLimit: number, logger: Logger): Promise<void> {
  try {
    const { loaded, failed } = await manager.restoreStored(perKeyLimit);
    if (loaded.length) logger.info({ sessions: loaded }, 'restoring stored sessions');
    if (failed.length) logger.warn({ sessions: failed.map((f) => f.sessionId) }, 'some stored sessions could not be restored');
  } catch (error) {
    logger.error({ err: error }, 'could not list the stored sessions; none was restored');
  }
}

function sessionOptions(config: Config) {
  return {
    maxSessions: config.MAX_SESSIONS,
    maxConcurrentStarts: config.MAX_CONCURRENT_STARTS,
    startTimeoutMs: config.START_TIMEOUT_MS,
    qrMaxAttempts: config.QR_MAX_ATTEMPTS,
    pairingCodeMaxAttempts: config.PAIRING_CODE_MAX_ATTEMPTS,
    restartMaxAttempts: config.RESTART_MAX_ATTEMPTS,
    restartBaseDelayMs: config.RESTART_BASE_DELAY_MS,
    sendQueueMax: config.SEND_QUEUE_MAX,
    sendConcurrency: config.SEND_CONCURRENCY,
    sendPacing: { minIntervalMs: config.SEND_MIN_INTERVAL_MS, jitterMs: config.SEND_JITTER_MS },
  };
}

function messageLimits(config: Config): MessageLimits {
  return {
    unauthenticatedBytes: config.AUTH_MAX_BYTES,
    messageBytes: config.MAX_PAYLOAD_BYTES,
    pollingBodyBytes: config.POLLING_MAX_BYTES,
    // More in one read and the rate limit would close the connection anyway: burst, then strikes.
    messagesPerRead: config.RATE_LIMIT_BURST + config.RATE_LIMIT_STRIKES,
  };
}

/** Shared buckets (per key, per address) take bursts of twice their rate. */
function rateLimitOptions(config: Config): RateLimitOptions {
  return {
    connection: { perSecond: config.RATE_LIMIT_PER_SEC, burst: config.RATE_LIMIT_BURST },
    key: { perSecond: config.RATE_LIMIT_KEY_PER_SEC, burst: 2 * config.RATE_LIMIT_KEY_PER_SEC },
    address: { perSecond: config.RATE_LIMIT_IP_PER_SEC, burst: 2 * config.RATE_LIMIT_IP_PER_SEC },
    strikes: config.RATE_LIMIT_STRIKES,
  };
}

function deliveryPolicy(config: Config): DeliveryPolicy {
  return {
    media: {
      mediaDir: config.mediaDir,
      limits: { maxBytes: config.MEDIA_MAX_BYTES },
      readTimeoutMs: config.MEDIA_READ_TIMEOUT_MS,
      allowUrls: config.MEDIA_ALLOW_URLS,
      allowData: config.MEDIA_ALLOW_DATA,
      url: { timeoutMs: config.MEDIA_URL_TIMEOUT_MS },
    },
    maxTextLength: config.MESSAGE_MAX_LENGTH,
    maxCaptionLength: config.CAPTION_MAX_LENGTH,
    typingMs: config.SEND_TYPING_MS,
    retryWindowMs: config.SEND_RETRY_WINDOW_MS,
    maxAgeMs: config.OUTBOX_MAX_AGE_MS,
  };
}

function upkeepPolicy(config: Config) {
  return {
    outboxMaxAgeMs: config.OUTBOX_MAX_AGE_MS,
    receiptsMax: config.SEND_IDEMPOTENCY_MAX,
    eventsRetentionMs: config.EVENT_LOG_RETENTION_MS,
    eventsMaxPerSession: config.EVENT_LOG_MAX_EVENTS,
  };
}
