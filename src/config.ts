/**
 * Configuration from the environment, validated once at boot. Every variable
 * is declared here with its default; .env.example documents the same list.
 */
import path from 'node:path';
import { z } from 'zod';
import { ENGINE_NAMES } from './engines/engine';
import { isErrnoException } from './util/errno';

const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

export const configSchema = z.object({
  PORT: int(0, 65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  CORS_ORIGINS: list.default(['*']),
  WA_ENGINE: z.enum(ENGINE_NAMES).default('wwebjs'),
  DATA_DIR: z.string().min(1).default('./.wwebjs_auth'),
  DATA_DIR_MIN_FREE_MB: int(0).default(100),
  MEDIA_DIR: z.string().min(1).default('./media'),
  AUTO_LOAD_SESSIONS: bool.default(true),
  MAX_SESSIONS: int(1).default(50),
  MAX_CONCURRENT_STARTS: int(1, 64).default(2),
  START_TIMEOUT_MS: int(1000).default(60_000),
  QR_MAX_ATTEMPTS: int(1).default(5),
  PAIRING_CODE_MAX_ATTEMPTS: int(1).default(3),
  RESTART_MAX_ATTEMPTS: int(0, 100).default(5),
  RESTART_BASE_DELAY_MS: int(0).default(1000),
  SEND_QUEUE_MAX: int(1).default(1000),
  SEND_CONCURRENCY: int(1, 64).default(4),
  SEND_MIN_INTERVAL_MS: int(0).default(0),
  SEND_JITTER_MS: int(0).default(0),
  SEND_TYPING_MS: int(0).default(0),
  SEND_IDEMPOTENCY_MAX: int(0).default(50_000),
  SEND_RETRY_WINDOW_MS: int(0).default(30_000),
  REJECT_CALLS: bool.default(false),
  REJECT_CALLS_MESSAGE: z.string().min(1).max(4096).optional(),
  SHUTDOWN_GRACE_MS: int(0).default(10_000),
  STORE: z.enum(['sqlite', 'memory']).default('sqlite'),
  STORE_SYNC: z.enum(['normal', 'full']).default('normal'),
  OUTBOX_MAX_AGE_MS: int(1000).default(60 * 60_000),
  EVENT_LOG_RETENTION_MS: int(60_000).default(24 * 60 * 60_000),
  EVENT_LOG_MAX_EVENTS: int(100).default(100_000),
  RECOVERY_WINDOW_MS: int(0).default(0),
  API_KEY: list.pipe(z.array(z.string().min(16, 'each key must be at least 16 characters'))).default([]),
  API_KEYS_FILE: z.string().min(1).optional(),
  AUTH_MAX_BYTES: int(256, 1024 * 1024).default(4096),
  AUTH_TIMEOUT_MS: int(1000).default(10_000),
  AUTH_FAILURES_MAX: int(1).default(10),
  AUTH_BLOCK_MS: int(0).default(300_000),
  MAX_SESSIONS_PER_KEY: int(1).default(10),
  MAX_PAYLOAD_BYTES: int(1024).default(10 * 1024 * 1024),
  POLLING_MAX_BYTES: int(1024).default(256 * 1024),
  MESSAGE_MAX_LENGTH: int(1, 65_536).default(65_536),
  CAPTION_MAX_LENGTH: int(1, 65_536).default(1024),
  RATE_LIMIT_PER_SEC: int(1).default(50),
  RATE_LIMIT_BURST: int(1).default(100),
  RATE_LIMIT_STRIKES: int(1).default(200),
  RATE_LIMIT_KEY_PER_SEC: int(1).default(100),
  RATE_LIMIT_IP_PER_SEC: int(1).default(200),
  MEDIA_MAX_BYTES: int(1).optional(),
  MEDIA_ALLOW_URLS: bool.default(false),
  MEDIA_ALLOW_DATA: bool.default(false),
  MEDIA_URL_TIMEOUT_MS: int(100).default(15_000),
  MEDIA_READ_TIMEOUT_MS: int(100).default(15_000),
  MEDIA_DOWNLOAD_MAX_BYTES: int(1).default(64 * 1024 * 1024),
  MEDIA_LINK_TTL_MS: int(1000).default(5 * 60_000),
  MEDIA_AUTO_DOWNLOAD: bool.default(false),
  MEDIA_AUTO_MAX_BYTES: int(1).default(16 * 1024 * 1024),
  MEDIA_AUTO_RETENTION_MS: int(1000).default(24 * 60 * 60_000),
  CHROME_PATH: z.string().min(1).optional(),
  CHROME_ARGS: list.default([]),
  WWEBJS_WEB_VERSION: z.string().min(1).optional(),
  WWEBJS_WEB_CACHE_DIR: z.string().min(1).optional(),
  WWEBJS_READY_TIMEOUT_MS: int(1000).default(90_000),
  WWEBJS_PAIRING_CODE_INTERVAL_MS: int(1000).default(180_000),
  SANDBOX_SCAN_MS: int(0).default(3000),
  SANDBOX_REPLY_MS: int(0).default(300),
  SANDBOX_ECHO: bool.default(true),
  SANDBOX_QR_REFRESH_MS: int(50).default(20_000),
  PRINT_QR: bool.default(false),
  METRICS_TOKEN: z.string().min(1).optional(),
  METRICS_MEMORY_SAMPLE_MS: int(1000).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string; mediaDir: string };

export class ConfigError extends Error {}

/** Variables from `.env` in the working directory, when it exists; the real environment wins. */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if (!isErrnoException(error, 'ENOENT')) throw error;
  }
}

/** Parse the environment; a wrong value throws one line naming the variable, the value and what is allowed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = configSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name])}: ${issue.message}`);
  }
  const config = result.data;
  return { ...config, dataDir: path.resolve(config.DATA_DIR), mediaDir: path.resolve(config.MEDIA_DIR) };
}
