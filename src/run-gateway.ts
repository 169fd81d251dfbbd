/**
 * Runs the gateway as a process: configuration errors exit 2 with one line,
 * SIGTERM/SIGINT close it gracefully (exit 0), a second signal exits at once.
 */
import { ConfigError, type Config } from './config';
import { startGateway } from './gateway';
import { createLogger, type Logger } from './logger';

interface RunOptions {
  /** Called once before the process exits, whatever the reason. */
  onExit?: () => void;
  /** Called once the logger exists, before the gateway starts. */
  onStart?: (config: Config, logger: Logger) => void;
}

export async function runGateway(configure: () => Config, options: RunOptions = {}): Promise<void> {
  const exit = (code: number): never => {
    options.onExit?.();
    process.exit(code);
  };
  let config: Config;
  try {
    config = configure();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return exit(2);
  }
  const logger = createLogger(config.LOG_LEVEL);
  // whatsapp-web.js lets async listener errors escape as unhandled rejections; they must not end the process.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  options.onStart?.(config, logger);

  const gateway = await startGateway(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, 'the gateway could not start');
    return exit(1);
  });
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
