/** Starts the real gateway with the sandbox engine on an ephemeral port, in its own temp folders. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, expect, vi } from 'vitest';
import { connect, type ConnectOptions, type GatewayClient } from '../../src/client/gateway-client';
import { loadConfig, type Config } from '../../src/config';
import type { Engine } from '../../src/engines/engine';
import { SandboxEngine } from '../../src/engines/sandbox/sandbox-engine';
import { startGateway, type Gateway } from '../../src/gateway';
import { silentLogger, type Logger } from '../../src/logger';
import type { ServerEventName, ServerPayload } from '../../src/protocol/events';
import { SessionStorage } from '../../src/storage/session-storage';
import type { Store } from '../../src/storage/store';

export interface TestGateway extends Gateway {
  config: Config;
  root: string;
  client(options?: ConnectOptions): Promise<GatewayClient>;
  /** Closes the clients and the gateway; keeps the folders (restart tests reuse them). */
  shutdown(): Promise<void>;
}

export const MEDIA_FIXTURES = {
  'photo.jpg': 'image',
  'clip.mp4': 'video',
  'report.pdf': 'document',
  'voice.ogg': 'audio',
  'setup.exe': 'program',
} as const;

export async function makeTempRoot(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wa-gateway-test-'));
  await fs.mkdir(path.join(root, 'media'), { recursive: true });
  for (const name of Object.keys(MEDIA_FIXTURES)) await fs.writeFile(path.join(root, 'media', name), `fixture ${name}`);
  return root;
}

export async function startSandboxGateway(
  env: Record<string, string> = {},
  root?: string,
  /** A logger to watch, and an engine or store of the test's own (e.g. one that records what runs); defaults: silent, the config's. */
  { logger = silentLogger, engine, store }: { logger?: Logger; engine?: (config: Config) => Engine; store?: Store } = {},
): Promise<TestGateway> {
  const dir = root ?? (await makeTempRoot());
  const config = loadConfig({
    WA_ENGINE: 'sandbox',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(dir, 'data'),
    MEDIA_DIR: path.join(dir, 'media'),
    SANDBOX_SCAN_MS: '0',
    SANDBOX_REPLY_MS: '20',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const gateway = await startGateway(config, logger, { engine: engine?.(config), store });
  const clients: GatewayClient[] = [];
  return {
    ...gateway,
    config,
    root: dir,
    client: async (options) => {
      const client = connect(gateway.url, { timeoutMs: 5000, ...options });
      clients.push(client);
      return client.connected();
    },
    shutdown: async () => {
      for (const client of clients) client.close();
      await gateway.close();
    },
  };
}

export interface GatewayPerTest {
  /** Starts this test's gateway: the sandbox with SANDBOX_ECHO off, `env` on top, in `root` (default: a new one). */
  start(env?: Record<string, string>, root?: string): Promise<TestGateway>;
  /** Starts it with a client (with `token`, if given) whose session `sessionId` is connected. */
  connected(env?: Record<string, string>, options?: { root?: string; token?: string }): Promise<GatewayClient>;
  /** Starts it with a client whose session `sessionId` is started but never connected (nobody scans its QR). */
  notConnected(): Promise<GatewayClient>;
  /** The gateway the running test started. */
  gateway(): TestGateway;
}

/** For a file of tests about one session: each test starts its own sandbox gateway, shut down after it. */
export function sandboxGatewayPerTest(sessionId: string): GatewayPerTest {
  let current: TestGateway | undefined;
  afterEach(async () => {
    await current?.shutdown();
    current = undefined;
  });
  const start = async (env: Record<string, string> = {}, root?: string) =>
    (current = await startSandboxGateway({ SANDBOX_ECHO: '0', ...env }, root));
  return {
    start,
    connected: async (env, { root, token } = {}) => {
      const client = await (await start(env, root)).client({ token });
      const ready = nextEvent(client, 'session_connected');
      await client.startSession(sessionId);
      await ready;
      return client;
    },
    notConnected: async () => {
      const client = await (await start({ SANDBOX_SCAN_MS: '60000' })).client();
      await client.startSession(sessionId);
      return client;
    },
    gateway: () => {
      if (!current) throw new Error('this test has started no gateway');
      return current;
    },
  };
}

/** The sandbox engine `config` asks for, for a test that wraps it (the `engine` of startSandboxGateway). */
export function sandboxEngine(config: Config): SandboxEngine {
  return new SandboxEngine({
    storage: new SessionStorage(config.dataDir),
    scanMs: config.SANDBOX_SCAN_MS,
    replyMs: config.SANDBOX_REPLY_MS,
    echo: config.SANDBOX_ECHO,
    qrRefreshMs: config.SANDBOX_QR_REFRESH_MS,
  });
}

/** Resolves with the next `event` whose payload passes `match`; rejects after `timeoutMs`. */
export function nextEvent<E extends ServerEventName>(
  client: GatewayClient,
  event: E,
  match: (payload: ServerPayload<E>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<ServerPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: ServerPayload<E>) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      client.socket.off(event, listener as never);
      resolve(payload);
    };
    client.socket.on(event, listener as never);
  });
}

const PEER = '6282284316465';

/** Rate limits no test that injects or sends in bulk reaches. */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_PER_SEC: '100000',
  RATE_LIMIT_BURST: '100000',
  RATE_LIMIT_KEY_PER_SEC: '100000',
  RATE_LIMIT_IP_PER_SEC: '100000',
};

/** Injects messages and resolves with them as the controller (a follower) received them: with their seq. */
export async function injectMessages(
  controller: GatewayClient,
  sessionId: string,
  texts: string[],
): Promise<Array<ServerPayload<'message_received'>>> {
  const seen = new Map<string, ServerPayload<'message_received'>>();
  const listener = (payload: ServerPayload<'message_received'>) => {
    if (payload.sessionId === sessionId) seen.set(payload.message.text, payload);
  };
  controller.socket.on('message_received', listener);
  try {
    await Promise.all(texts.map((text) => controller.request('sandbox_inject_message', { sessionId, from: PEER, text })));
    await vi.waitFor(() => expect(texts.every((text) => seen.has(text))).toBe(true));
    return texts.map((text) => seen.get(text)!);
  } finally {
    controller.socket.off('message_received', listener);
  }
}

/** Collects every `event` from now on, for asserting on what did (not) arrive. */
export function collect<E extends ServerEventName>(client: GatewayClient, event: E): Array<ServerPayload<E>> {
  const seen: Array<ServerPayload<E>> = [];
  client.socket.on(event, ((payload: ServerPayload<E>) => seen.push(payload)) as never);
  return seen;
}

/** Emits a raw (possibly malformed) event with an ack and resolves with the ack. */
export function rawRequest(client: GatewayClient, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => {
    (client.socket.emit as (event: string, ...args: unknown[]) => void)(event, ...args, resolve);
  });
}

/** A logger that keeps every line, parsed, for asserting on what was logged. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}
