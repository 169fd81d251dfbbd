/**
 * The gateway with the real wwebjs engine (whatsapp-web.js + headless Chromium) against the WhatsApp
 * Web double, driven only through Socket.IO: for the tests (test/gateway-double), `npm run bench:browser`
 * and anything else that needs the real engine offline. The phone is played by connecting another
 * puppeteer to the session's browser through the `DevToolsActivePort` file Chromium writes into the
 * profile: nothing reaches into the adapter. The gateway drives its browsers over a pipe, which opens
 * no port, so these gateways add a debugging port (CHROME_ARGS=--remote-debugging-port=0) for the
 * phone; the gateway's own connection stays the pipe (see PIPE_FLAG in src/engines/wwebjs/client.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import puppeteer, { type Browser } from 'puppeteer';
import { connect, type GatewayClient } from '../src/client/gateway-client';
import { loadConfig, type Config } from '../src/config';
import type { Engine } from '../src/engines/engine';
import { findBrowser } from '../src/engines/wwebjs/browser';
import { startGateway, type Gateway } from '../src/gateway';
import type { ServerEventName, ServerPayload } from '../src/protocol/events';
import { prepareDoubleCache, scanQr, type DoubleCacheOptions, type DoubleOptions, type DoublePage } from './harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const hasBrowser = (() => {
  try {
    return Boolean(findBrowser(process.env.CHROME_PATH));
  } catch {
    return false;
  }
})();

// ---- the gateway ---------------------------------------------------------------------------------

/** A DevTools port next to the gateway's pipe, for the phone: Chromium names it in `DevToolsActivePort`. */
export const PHONE_PORT_FLAG = '--remote-debugging-port=0';

export interface DoubleGateway {
  gateway: Gateway;
  /** The gateway's log lines (level info and up), parsed. */
  logs: LogLine[];
  config: Config;
  dataDir: string;
  /** A connected Socket.IO client whose events are recorded from the start. */
  client(): Promise<EventLog>;
  /** Closes the clients, then the gateway (graceful: every session is stopped). */
  close(): Promise<void>;
}

/** The settings of a gateway with the real engine on the double in `cache`, on 127.0.0.1:0, its folders under `root`; `env` adds to them. */
export function doubleGatewayConfig(root: string, cache: DoubleCacheOptions, env: Record<string, string> = {}): Config {
  return loadConfig({
    WA_ENGINE: 'wwebjs',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(root, 'data'),
    MEDIA_DIR: path.join(root, 'media'),
    WWEBJS_WEB_VERSION: cache.webVersion,
    WWEBJS_WEB_CACHE_DIR: cache.webVersionCache.path,
    LOG_LEVEL: 'silent',
    ...(process.env.CHROME_PATH && { CHROME_PATH: process.env.CHROME_PATH }),
    ...env,
    CHROME_ARGS: [PHONE_PORT_FLAG, env.CHROME_ARGS].filter(Boolean).join(','),
  });
}

/**
 * Writes the double into `<root>/web-cache` (with `double` options baked in) and starts an in-process
 * gateway with WA_ENGINE=wwebjs on 127.0.0.1:0, DATA_DIR `<root>/data`, MEDIA_DIR `<root>/media`.
 */
export async function startDoubleGateway(
  root: string,
  env: Record<string, string> = {},
  double: DoubleOptions = {},
  /** An engine of the caller's own (e.g. other launch flags); default: the one the config names. */
  engine?: (config: Config) => Engine,
): Promise<DoubleGateway> {
  const config = doubleGatewayConfig(root, prepareDoubleCache(path.join(root, 'web-cache'), double), env);
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const gateway = await startGateway(config, logger, { engine: engine?.(config) });
  const clients: EventLog[] = [];
  return {
    gateway,
    logs,
    config,
    dataDir: config.dataDir,
    client: async () => {
      const log = await connectClient(gateway.url);
      clients.push(log);
      return log;
    },
    close: async () => {
      for (const log of clients) log.client.close();
      await gateway.close();
    },
  };
}

export interface LogLine {
  time: number;
  msg: string;
  sessionId?: string;
  status?: string;
  [key: string]: unknown;
}

export async function connectClient(url: string): Promise<EventLog> {
  const client = connect(url, { timeoutMs: 30_000 });
  const log = new EventLog(client);
  await client.connected();
  return log;
}

export interface RecordedEvent {
  event: ServerEventName;
  payload: unknown;
  at: number;
}

/**
 * Every server event a client received, in order, with its arrival time. `next` finds one that may
 * already have arrived (from a `mark()` on), so no test races its own listener.
 */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(readonly client: GatewayClient) {
    client.socket.onAny((event: ServerEventName, payload: unknown) => {
      this.events.push({ event, payload, at: Date.now() });
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** A position in the log, for `next(..., { after })` and `since`. */
  mark(): number {
    return this.events.length;
  }

  /** Payloads of `event` (for `sessionId`, when given) recorded from position `after` on. */
  since<E extends ServerEventName>(event: E, sessionId?: string, after = 0): Array<ServerPayload<E>> {
    return this.events
      .slice(after)
      .filter((e) => e.event === event && (sessionId === undefined || (e.payload as { sessionId?: string }).sessionId === sessionId))
      .map((e) => e.payload as ServerPayload<E>);
  }

  /** The first `event` from position `after` (default 0) that passes `match`; rejects after `timeoutMs`. */
  next<E extends ServerEventName>(
    event: E,
    match: (payload: ServerPayload<E>) => boolean = () => true,
    { after = 0, timeoutMs = 20_000 }: { after?: number; timeoutMs?: number } = {},
  ): Promise<ServerPayload<E> & { at: number }> {
    return new Promise((resolve, reject) => {
      let checked = after;
      const check = () => {
        for (; checked < this.events.length; checked += 1) {
          const recorded = this.events[checked]!;
          if (recorded.event === event && match(recorded.payload as ServerPayload<E>)) {
            done();
            resolve({ ...(recorded.payload as ServerPayload<E>), at: recorded.at });
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.events.slice(after).map((e) => `${e.event} ${JSON.stringify(e.payload).slice(0, 160)}`);
        reject(new Error(`no matching ${event} within ${timeoutMs} ms; received since:\n${seen.join('\n')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Statuses of `sessionId` from position `after` on, in order. */
  statuses(sessionId: string, after = 0): string[] {
    return this.since('session_status', sessionId, after).map((s) => s.status);
  }
}

// ---- the phone -------------------------------------------------------------------------------------

export interface Phone {
  page: DoublePage;
  /** Drops this test's DevTools connection; the browser and the library's connection stay. */
  disconnect(): Promise<void>;
}

/**
 * The session's WhatsApp Web page, reached from outside: Chromium (launched with PHONE_PORT_FLAG by
 * startDoubleGateway) writes `<port>\n<browser path>` to `<profile>/DevToolsActivePort`.
 * Retries until the current browser answers (after a restart the file may still name the dead one).
 */
export async function phone(dataDir: string, sessionId: string, timeoutMs = 20_000): Promise<Phone> {
  const file = path.join(dataDir, `session-${sessionId}`, 'DevToolsActivePort');
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    let browser: Browser | undefined;
    try {
      const [port, browserPath] = fs.readFileSync(file, 'utf8').split('\n');
      browser = await puppeteer.connect({ browserWSEndpoint: `ws://127.0.0.1:${port}${browserPath}`, defaultViewport: null });
      const pages = await browser.pages();
      const page = pages.find((p) => p.url().startsWith('https://web.whatsapp.com/'));
      if (page && (await page.evaluate(() => typeof window.WADouble === 'object'))) {
        const connected = browser;
        return { page: page as unknown as DoublePage, disconnect: () => connected.disconnect().catch(() => {}) };
      }
      lastError = new Error(`no WhatsApp Web page yet (pages: ${pages.map((p) => p.url()).join(', ')})`);
    } catch (error) {
      lastError = error;
    }
    await browser?.disconnect().catch(() => {});
    await sleep(100);
  }
  throw new Error(`could not reach the WhatsApp Web page of session ${sessionId}: ${String(lastError)}`);
}

/** Starts `sessionId`, waits for its QR, scans it from the phone, waits for `session_connected`. */
export async function startAndPair(gw: DoubleGateway, log: EventLog, sessionId: string): Promise<ServerPayload<'session_connected'>> {
  const { device, connected } = await startAndPairKeepingPhone(gw, log, sessionId);
  await device.disconnect();
  return connected;
}

/** startAndPair, with the phone left connected for the test to play; disconnect it when done. */
export async function startAndPairKeepingPhone(
  gw: DoubleGateway,
  log: EventLog,
  sessionId: string,
): Promise<{ device: Phone; connected: ServerPayload<'session_connected'> }> {
  const after = log.mark();
  await log.client.startSession(sessionId);
  await log.next('qr_code', (q) => q.sessionId === sessionId, { after });
  const device = await phone(gw.dataDir, sessionId);
  try {
    await scanFromPhone(device);
    return { device, connected: await log.next('session_connected', (c) => c.sessionId === sessionId, { after }) };
  } catch (error) {
    await device.disconnect();
    throw error;
  }
}

/**
 * Pairs `sessionId`, then stops and starts it again (a restore: connected, no QR). Chromium writes
 * localStorage, where the double (like WhatsApp Web) keeps the login, to disk a few seconds late: a
 * browser killed right after pairing forgets it. A graceful stop flushes it.
 */
export async function pairAndPersist(gw: DoubleGateway, log: EventLog, sessionId: string): Promise<void> {
  await startAndPair(gw, log, sessionId);
  await log.client.stopSession(sessionId);
  const after = log.mark();
  await log.client.startSession(sessionId);
  await log.next('session_connected', (c) => c.sessionId === sessionId, { after });
  if (log.since('qr_code', sessionId, after).length) throw new Error(`${sessionId} did not restore its login`);
}

/** The phone scans the QR on screen. */
export function scanFromPhone(device: Phone): Promise<void> {
  return scanQr(device.page);
}
