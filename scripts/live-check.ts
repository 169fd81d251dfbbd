/**
 * `npm run live-check`: check the gateway against the real WhatsApp Web with your own phone, in about
 * five minutes. Never part of the test suite; it needs a WhatsApp account and a second number you own.
 *
 *   LIVE_CHECK=1 LIVE_CHECK_PEER=6281234567890 npm run live-check
 *
 * It starts the gateway (real engine, real web.whatsapp.com) in-process, prints the QR in the terminal,
 * and walks the flows a bot needs: connect, the WhatsApp Web version, a number check, a send and its
 * ack, a reply from the peer phone, typing, a read receipt, a restart without QR, and a logout. It
 * prints a PASS/FAIL line per flow, then what the page lacks of what whatsapp-web.js reads from it
 * (double/library-surface.ts). Settings (environment):
 *
 *   LIVE_CHECK_PEER           a number you own, with country code: the test message goes there
 *   LIVE_CHECK_DIR            where the login is kept between runs (default .live-check)
 *   LIVE_CHECK_REPLY_TIMEOUT_S how long to wait for your reply (default 180)
 *   LIVE_CHECK_KEEP_LOGIN=1   skip the logout at the end (the next run needs no QR)
 *   LIVE_CHECK_SAVE_MESSAGE=1 save your reply, numbers redacted, as a golden fixture (in LIVE_CHECK_FIXTURE_DIR,
 *                             default test/fixtures/whatsapp-web)
 *   LIVE_CHECK_DOUBLE=<profile> run against the offline double instead (its auto mode plays the phone)
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { connect, type GatewayClient } from '../src/client/gateway-client';
import { loadConfig, type Config } from '../src/config';
import { wwebjsEngineOptions } from '../src/engines/create-engine';
import { createWwebjsClient, type ClientLike } from '../src/engines/wwebjs/client';
import { WwebjsEngine } from '../src/engines/wwebjs/wwebjs-engine';
import { startGateway, type Gateway } from '../src/gateway';
import { toChatId } from '../src/protocol/chat-id';
import type { ServerEventName, ServerPayload } from '../src/protocol/events';
import { DOUBLE_PROFILES, prepareDoubleCache, type DoubleProfile } from '../double/harness';
import { describeRead, excused, librarySurface, type PageRead } from '../double/library-surface';

const SESSION = 'live-check';
const ROOT = path.resolve(__dirname, '..');

interface Settings {
  peer: string;
  dir: string;
  replyTimeoutMs: number;
  keepLogin: boolean;
  saveMessage: boolean;
  fixtureDir: string;
  double?: DoubleProfile;
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const refuse = (why: string): never => {
    console.error(`live-check: ${why}\nUsage: LIVE_CHECK=1 LIVE_CHECK_PEER=<a number you own, e.g. 6281234567890> npm run live-check`);
    process.exit(2);
  };
  if (env.LIVE_CHECK !== '1') refuse('it talks to the real WhatsApp with your account, so it runs only with LIVE_CHECK=1');
  let peer = '';
  try {
    peer = toChatId(env.LIVE_CHECK_PEER ?? '');
  } catch {
    refuse('set LIVE_CHECK_PEER to a phone number you own (the test message is sent there)');
  }
  if (!peer.endsWith('@c.us')) refuse('LIVE_CHECK_PEER must be a phone number');
  const double = env.LIVE_CHECK_DOUBLE as DoubleProfile | undefined;
  if (double && !(double in DOUBLE_PROFILES)) refuse(`LIVE_CHECK_DOUBLE must be one of ${Object.keys(DOUBLE_PROFILES).join(', ')}`);
  return {
    peer: peer.split('@')[0]!,
    dir: path.resolve(env.LIVE_CHECK_DIR ?? path.join(ROOT, '.live-check')),
    replyTimeoutMs: Number(env.LIVE_CHECK_REPLY_TIMEOUT_S ?? 180) * 1000,
    keepLogin: env.LIVE_CHECK_KEEP_LOGIN === '1',
    saveMessage: env.LIVE_CHECK_SAVE_MESSAGE === '1',
    fixtureDir: path.resolve(env.LIVE_CHECK_FIXTURE_DIR ?? path.join(ROOT, 'test/fixtures/whatsapp-web')),
    double,
  };
}

/** A gateway on loopback, with a key of its own: nothing else on this machine reads your messages meanwhile. */
function gatewayConfig(settings: Settings, apiKey: string): Config {
  const env: Record<string, string> = {
    WA_ENGINE: 'wwebjs',
    API_KEY: apiKey,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(settings.dir, 'auth'),
    MEDIA_DIR: path.join(settings.dir, 'media'),
    AUTO_LOAD_SESSIONS: 'false',
    PRINT_QR: settings.double ? 'false' : 'true',
    DATA_DIR_MIN_FREE_MB: '0',
    ...(process.env.CHROME_PATH && { CHROME_PATH: process.env.CHROME_PATH }),
  };
  if (settings.double) {
    const cache = prepareDoubleCache(path.join(settings.dir, 'double'), { profile: settings.double, auto: true, scanAfterMs: 300 });
    Object.assign(env, { WWEBJS_WEB_VERSION: cache.webVersion, WWEBJS_WEB_CACHE_DIR: cache.webVersionCache.path });
  }
  return loadConfig(env);
}

/** The gateway, with an engine whose clients we can reach (for the page surface and the saved message). */
async function startLiveGateway(config: Config): Promise<{ gateway: Gateway; client: () => ClientLike | undefined }> {
  const logger = pino({ level: 'warn' }, pino.destination(2));
  let latest: ClientLike | undefined;
  const engine = new WwebjsEngine({
    ...wwebjsEngineOptions(config, logger),
    createClient: (options) => (latest = createWwebjsClient(options)),
  });
  fs.mkdirSync(config.mediaDir, { recursive: true });
  return { gateway: await startGateway(config, logger, { engine }), client: () => latest };
}

/** The next `event` of the session (optionally matching), or a rejection after `ms`. */
function next<E extends ServerEventName>(
  wa: GatewayClient,
  event: E,
  ms: number,
  match: (payload: ServerPayload<E>) => boolean = () => true,
): Promise<ServerPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      wa.off(event, listener as never);
      reject(new Error(`no ${event} within ${Math.round(ms / 1000)} s`));
    }, ms);
    const listener = (payload: ServerPayload<E>) => {
      if ((payload as { sessionId?: string }).sessionId !== SESSION || !match(payload)) return;
      clearTimeout(timer);
      wa.off(event, listener as never);
      resolve(payload);
    };
    wa.on(event, listener as never);
  });
}

type Flow = [name: string, run: () => Promise<string>];

function flows(wa: GatewayClient, settings: Settings, state: { reply?: ServerPayload<'message_received'> }): Flow[] {
  const { peer } = settings;
  return [
    [
      'connect',
      async () => {
        const connected = next(wa, 'session_connected', 300_000);
        if (!settings.double) {
          const qr = next(wa, 'qr_code', 60_000).then(() => console.log('Scan the QR above: WhatsApp > Linked devices > Link a device'));
          qr.catch(() => undefined); // a stored login connects without one
        }
        await wa.startSession(SESSION);
        const account = await connected;
        return `connected as ${account.phoneNumber} (${account.pushname})`;
      },
    ],
    [
      'version',
      async () => {
        const { webVersion } = await wa.getSessionStatus(SESSION);
        if (!webVersion) throw new Error('the session did not report the WhatsApp Web version');
        return `WhatsApp Web ${webVersion}`;
      },
    ],
    [
      'number check',
      async () => {
        const result = await wa.checkPhoneNumber(SESSION, peer);
        if (!result.exists) throw new Error(`${peer} is not on WhatsApp`);
        return `${peer} is ${result.jid}${result.lid ? `, LID ${result.lid}` : ''}`;
      },
    ],
    [
      'send and ack',
      async () => {
        const sent = await wa.sendMessage({
          sessionId: SESSION,
          to: peer,
          message: `live-check ${new Date().toISOString()}: please reply`,
        });
        const ack = await next(wa, 'message_ack', 60_000, (a) => a.messageId === sent.messageId && a.ack !== 'pending');
        if (ack.ack === 'error') throw new Error(`WhatsApp refused ${sent.messageId}`);
        return `${sent.messageId}, ack ${ack.ack}`;
      },
    ],
    [
      'receive a reply',
      async () => {
        console.log(`Reply to the message on ${peer}'s phone (waiting ${settings.replyTimeoutMs / 1000} s)`);
        state.reply = await next(wa, 'message_received', settings.replyTimeoutMs, (m) => !m.message.key.fromMe);
        const { from, fromLid, type } = state.reply.message;
        return `a ${type} from ${from}${fromLid ? ` (LID ${fromLid})` : ''}`;
      },
    ],
    [
      'typing',
      async () => {
        await wa.sendTyping(SESSION, peer, true);
        await wa.sendTyping(SESSION, peer, false);
        return 'shown and cleared';
      },
    ],
    [
      'read',
      async () => {
        if (!state.reply) throw new Error('no reply to mark read');
        await wa.readMessage(SESSION, state.reply.message.key);
        return `read ${state.reply.message.id}`;
      },
    ],
    [
      'restart without QR',
      async () => {
        await wa.stopSession(SESSION);
        const qr = next(wa, 'qr_code', 60_000);
        const connected = next(wa, 'session_connected', 60_000);
        await wa.startSession(SESSION);
        const first = await Promise.race([qr.then(() => 'qr'), connected.then(() => 'connected')]);
        if (first === 'qr') throw new Error('the stored login was not restored: a QR came');
        return 'restored from the stored login';
      },
    ],
    ...(settings.keepLogin
      ? []
      : ([
          [
            'logout',
            async () => {
              await wa.logoutSession(SESSION);
              const stored = await wa.getAvailableSessions();
              if (stored.some((s) => s.sessionId === SESSION)) throw new Error('the stored login is still there');
              return 'logged out, stored login deleted';
            },
          ],
        ] satisfies Flow[])),
  ];
}

/** What the live page lacks of what whatsapp-web.js (and our page scripts) read from it on our paths. */
async function reportPageSurface(client: ClientLike | undefined): Promise<void> {
  const reads = librarySurface();
  const missing = await missingReads(client, reads).catch((error: unknown) => {
    console.log(`page surface: could not ask the page (${String(error)})`);
    return undefined;
  });
  if (!missing) return;
  const onOurPaths = missing.filter((read) => !excused(read));
  console.log(
    `page surface: ${reads.length} reads by whatsapp-web.js; missing on our paths: ${onOurPaths.length}` +
      ` (and ${missing.length - onOurPaths.length} on branches the gateway does not use)`,
  );
  for (const read of onOurPaths) console.log(`  ${describeRead(read)}`);
}

async function missingReads(client: ClientLike | undefined, reads: PageRead[]): Promise<PageRead[]> {
  if (!client?.pupPage) throw new Error('no page');
  const probe = `((reads) => reads.map(({ module, member, sub }) => {
    try {
      const value = window.require(module);
      if (!member) return true;
      if (value == null || !(member in Object(value))) return false;
      return !sub || (value[member] != null && sub in Object(value[member]));
    } catch { return false; }
  }))(${JSON.stringify(reads)})`;
  const present = (await client.pupPage.evaluate(probe)) as boolean[];
  return reads.filter((_, i) => !present[i]);
}

/** The reply's raw model, numbers redacted, as a fixture for test/fixtures/whatsapp-web. */
async function saveReply(
  client: ClientLike | undefined,
  reply: ServerPayload<'message_received'>,
  webVersion: string,
  dir: string,
): Promise<string> {
  if (!client?.pupPage) throw new Error('no page');
  const raw = await client.pupPage.evaluate(
    `JSON.stringify(window.require('WAWebCollections').Msg.get(${JSON.stringify(reply.message.id)})?.serialize() ?? null)`,
  );
  const redacted = redactNumbers(JSON.parse(String(raw)));
  const file = path.join(dir, `live-${new Date().toISOString().slice(0, 10)}-incoming.json`);
  const fixture = {
    source: 'npm run live-check',
    seen: `WhatsApp Web ${webVersion}`,
    note: 'A reply from the peer phone; runs of 5+ digits in its strings zeroed.',
    data: redacted,
  };
  fs.writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  return path.relative(ROOT, file);
}

/** Phone numbers and LIDs out of every string: runs of five digits or more become zeros. */
function redactNumbers(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\d{5,}/g, (digits) => '0'.repeat(digits.length));
  if (Array.isArray(value)) return value.map(redactNumbers);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactNumbers(v)]));
  return value;
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const apiKey = randomBytes(24).toString('hex');
  const { gateway, client } = await startLiveGateway(gatewayConfig(settings, apiKey));
  const wa = connect(gateway.url, { timeoutMs: 60_000, token: apiKey });
  const state: { reply?: ServerPayload<'message_received'> } = {};
  const steps = flows(wa, settings, state);
  let failed = 0;
  try {
    for (const [name, run] of steps) {
      const began = Date.now();
      const outcome = await run().then(
        (detail) => `PASS  ${name.padEnd(20)} ${detail}`,
        (error: unknown) => {
          failed += 1;
          return `FAIL  ${name.padEnd(20)} ${error instanceof Error ? error.message : String(error)}`;
        },
      );
      console.log(`${outcome}  (${((Date.now() - began) / 1000).toFixed(1)} s)`);
      if (name === 'receive a reply' && state.reply && settings.saveMessage) {
        const webVersion = (await wa.getSessionStatus(SESSION)).webVersion ?? 'unknown';
        console.log(`saved the reply as ${await saveReply(client(), state.reply, webVersion, settings.fixtureDir)}`);
      }
      if (name === 'restart without QR') {
        await reportPageSurface(client());
      }
    }
  } finally {
    wa.close();
    await gateway.close();
  }
  console.log(`${steps.length - failed} of ${steps.length} flows passed`);
  process.exit(failed ? 1 : 0);
}

void main();
