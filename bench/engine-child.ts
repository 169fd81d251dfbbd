/**
 * One side of `npm run bench:engine` (bench/engine.ts), in a process of its own so that its CPU time is
 * its own: `gateway` runs the gateway with the real engine on the WhatsApp Web double and answers its
 * URL (the bot, in the parent, talks to it over Socket.IO); `bare` is what a user would write instead: one
 * whatsapp-web.js Client on the same double and Chromium, sending in a loop itself. Both pair by the
 * double's auto mode and launch Chromium with the gateway's flags plus a DevTools port, through which the
 * parent delivers incoming messages. Commands and answers go over the IPC channel.
 */
import path from 'node:path';
import { Connection } from 'puppeteer-core/lib/cjs/puppeteer/cdp/Connection.js';
import wwebjs from 'whatsapp-web.js';
import { doubleGatewayConfig, PHONE_PORT_FLAG } from '../double/gateway';
import { prepareDoubleCache, type DoubleCacheOptions } from '../double/harness';
import { findBrowser, launchArgs } from '../src/engines/wwebjs/browser';
import { startGateway } from '../src/gateway';
import { silentLogger } from '../src/logger';
import { now, SESSION_ID, type ChildCommand, type ChildKind, type ChildReply } from './engine-ipc';
import { sendLoop } from './send-loop';

const reply = (message: ChildReply) => process.send!(message);
const { Client, LocalAuth } = wwebjs;
type WAClient = InstanceType<typeof Client>;

/** Every DevTools command this process sends to Chromium, counted (whatsapp-web.js and the gateway share this puppeteer). */
const pageCalls = new Map<string, number>();
const rawSend = Connection.prototype._rawSend;
Connection.prototype._rawSend = function (callbacks, method, params, ...rest) {
  const name = method === 'Runtime.callFunctionOn' ? `${method} ${pageFunctionName(params)}` : method;
  pageCalls.set(name, (pageCalls.get(name) ?? 0) + 1);
  return rawSend.call(this, callbacks, method, params, ...rest);
};

/**
 * A page function by its first line, shortened: enough to tell which call of the library or the gateway
 * it is. Puppeteer answers each call of an exposed function (the page telling Node of an event) with one
 * of these; those are named by the exposed function.
 */
function pageFunctionName(params: unknown): string {
  const { functionDeclaration = '', arguments: args = [] } = (params ?? {}) as {
    functionDeclaration?: string;
    arguments?: Array<{ value?: unknown }>;
  };
  if (functionDeclaration.startsWith('(name, seq, result)')) return `answer to the page's call of ${String(args[0]?.value)}`;
  return functionDeclaration.replace(/\s+/g, ' ').slice(0, 80);
}

function takePageCalls(): Record<string, number> {
  const counts = Object.fromEntries(pageCalls);
  pageCalls.clear();
  return counts;
}

async function main(): Promise<void> {
  const [kind, root] = process.argv.slice(2) as [ChildKind, string];
  process.on('message', (command: ChildCommand) => {
    if (command.type === 'pageCalls') reply({ type: 'pageCalls', counts: takePageCalls() });
  });
  const cache = prepareDoubleCache(path.join(root, 'web-cache'), { auto: true, scanAfterMs: 500 });
  if (kind === 'gateway') await runGateway(root, cache);
  else await runBare(root, cache);
}

async function runGateway(root: string, cache: DoubleCacheOptions): Promise<void> {
  const config = doubleGatewayConfig(root, cache, {
    RATE_LIMIT_PER_SEC: '100000',
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_KEY_PER_SEC: '100000',
    RATE_LIMIT_IP_PER_SEC: '100000',
    ...(process.env.SEND_CONCURRENCY && { SEND_CONCURRENCY: process.env.SEND_CONCURRENCY }),
  });
  const gateway = await startGateway(config, silentLogger);
  process.on('message', (command: ChildCommand) => {
    if (command.type === 'close') void gateway.close().then(() => reply({ type: 'closed' }));
  });
  reply({ type: 'ready', url: gateway.url });
}

async function runBare(root: string, cache: DoubleCacheOptions): Promise<void> {
  const arrivals: Record<string, number> = {};
  const launch = () => {
    const client = new Client({
      ...cache,
      authStrategy: new LocalAuth({ clientId: SESSION_ID, dataPath: path.join(root, 'data') }),
      puppeteer: { executablePath: findBrowser(process.env.CHROME_PATH), headless: true, args: launchArgs([PHONE_PORT_FLAG]) },
    });
    client.on('message', (message) => {
      arrivals[message.body] = now();
    });
    return client;
  };
  let client: WAClient = launch();
  const started = now();
  let qrAt: number | undefined;
  client.once('qr', () => (qrAt = now()));
  await initialized(client);
  reply({ type: 'ready', startToQrMs: (qrAt ?? now()) - started, startToConnectedMs: now() - started });

  process.on('message', (command: ChildCommand) => {
    void (async () => {
      if (command.type === 'send') reply({ type: 'sent', ...(await sendInLoop(client, command)) });
      if (command.type === 'arrivals') reply({ type: 'arrivals', at: { ...arrivals } });
      if (command.type === 'restart') {
        await client.destroy();
        client = launch();
        const restarting = now();
        await initialized(client);
        reply({ type: 'restarted', restoreToConnectedMs: now() - restarting });
      }
      if (command.type === 'close') {
        await client.destroy();
        reply({ type: 'closed' });
      }
    })();
  });
}

/** Resolves once the client is ready (whatsapp-web.js's initialize() may resolve before). */
async function initialized(client: WAClient): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  await client.initialize();
  await ready;
}

/** The sends as a script would make them, in a loop. */
function sendInLoop(client: WAClient, { count, inFlight, to, ratePerSec }: Extract<ChildCommand, { type: 'send' }>) {
  return sendLoop(count, inFlight, (n) => client.sendMessage(to[n % to.length]!, `bench ${n}`), ratePerSec);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
