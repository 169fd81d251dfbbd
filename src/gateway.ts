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
import { createHttpApp } from './server/http-app';
import { createRequestHandlers } from './server/request-handlers';
import { attachRequestHandlers, createSocketServer, sessionPublisher, type GatewayIo } from './server/socket-server';
import { SessionManager } from './sessions/session-manager';
import { SessionStorage } from './sessions/storage';

export interface Gateway {
  url: string;
  io: GatewayIo;
  httpServer: HttpServer;
  manager: SessionManager;
  /** Stops every session (keeping stored logins) and closes the server. */
  close(): Promise<void>;
}

export async function startGateway(config: Config, logger: Logger, engineOverride?: Engine): Promise<Gateway> {
  await fs.mkdir(config.dataDir, { recursive: true });
  const storage = new SessionStorage(config.dataDir);
  const engine = engineOverride ?? (await createEngine(config, storage, logger));

  const httpServer = createServer(createHttpApp());
  const io = createSocketServer(httpServer, config.CORS_ORIGINS);
  const manager = new SessionManager({
    engine,
    storage,
    logger,
    publish: sessionPublisher(io),
    options: {
      maxSessions: config.MAX_SESSIONS,
      maxConcurrentStarts: config.MAX_CONCURRENT_STARTS,
      startTimeoutMs: config.START_TIMEOUT_MS,
      qrMaxAttempts: config.QR_MAX_ATTEMPTS,
      restartMaxAttempts: config.RESTART_MAX_ATTEMPTS,
      restartBaseDelayMs: config.RESTART_BASE_DELAY_MS,
      sendQueueMax: config.SEND_QUEUE_MAX,
    },
  });
  attachRequestHandlers(io, createRequestHandlers(manager, config.mediaDir), logger);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.info({ url, engine: engine.name }, 'gateway listening');

  if (config.AUTO_LOAD_SESSIONS) {
    const { loaded } = await manager.loadStored();
    if (loaded.length) logger.info({ sessions: loaded }, 'restoring stored sessions');
  }

  return {
    url,
    io,
    httpServer,
    manager,
    close: async () => {
      await manager.stopAll();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
