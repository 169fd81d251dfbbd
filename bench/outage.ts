/**
 * `npm run bench:outage`: a bot on the project's client (src/client) asking 40 requests/s (under
 * the default limit of 50/s) through a 20 s outage of the gateway: the gateway (`npm start`, sandbox
 * engine, default limits, 127.0.0.1) is stopped with SIGTERM and started again on the same port.
 * Counts every request's outcome and says whether the client is connected at the end (issue 11,
 * break 3). Takes about 45 s; OUTAGE_MS and RATE change the outage and the bot's rate.
 */
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, GatewayRequestError } from '../src/client/gateway-client';
import { startMain, type GatewayProcess } from '../test/support/gateway-process';

const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 20_000);
const RATE = Number(process.env.RATE ?? 40);
const BEFORE_MS = 3000;
const AFTER_MS = 15_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'wa-gateway-outage-'));
  const port = await freePort();
  const start = () =>
    startMain({ PORT: String(port), WA_ENGINE: 'sandbox', DATA_DIR: path.join(root, 'data'), MEDIA_DIR: path.join(root, 'media') });
  const stop = async (gateway: GatewayProcess) => {
    gateway.child.kill('SIGTERM');
    await gateway.exited;
  };

  let gateway = await start();
  const client = connect(gateway.url);
  const disconnects: string[] = [];
  client.socket.on('disconnect', (reason) => disconnects.push(reason));
  await new Promise<void>((resolve) => client.socket.once('connect', () => resolve()));

  const outcomes = new Map<string, number>();
  const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const slowestMs = new Map<string, number>();
  let phase = 'before';
  const pending: Array<Promise<void>> = [];
  let producing = true;
  const bot = (async () => {
    while (producing) {
      const asked = phase;
      const askedAt = Date.now();
      pending.push(
        client.getActiveSessions().then(
          () => {
            count(`${asked}: ok`);
            slowestMs.set(asked, Math.max(slowestMs.get(asked) ?? 0, Date.now() - askedAt));
          },
          (error) => void count(`${asked}: ${error instanceof GatewayRequestError ? error.code : String(error)}`),
        ),
      );
      await sleep(1000 / RATE);
    }
  })();

  await sleep(BEFORE_MS);
  phase = 'during outage';
  await stop(gateway);
  await sleep(OUTAGE_MS);
  gateway = await start();
  phase = 'after restart';
  await sleep(AFTER_MS);
  producing = false;
  await bot;
  const connectedAtEnd = client.socket.connected;
  await Promise.all(pending);
  client.close();
  await stop(gateway);
  await fs.rm(root, { recursive: true, force: true });
  const result = {
    rate: RATE,
    outageMs: OUTAGE_MS,
    connectedAtEnd,
    disconnects,
    outcomes: Object.fromEntries([...outcomes].sort()),
    slowestOkMs: Object.fromEntries(slowestMs),
  };
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
