/**
 * The examples run as users run them, against the real gateway with the
 * sandbox engine: the echo bots (TypeScript and plain JavaScript) answer an
 * injected message, and the API doc's example works on localhost:3000.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runNode, startMain, type GatewayProcess, type NodeProcess } from '../support/gateway-process';
import { makeTempRoot, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const ROOT = path.resolve(__dirname, '../..');
const PEER = '6282284316465';

/** Polls `probe` until it gives a value; the error names what was awaited and shows the process output. */
function waitFor<T>(what: string, probe: () => T | undefined, context: () => string, timeoutMs = 15_000): Promise<T> {
  return vi.waitFor(
    () => {
      const value = probe();
      if (value === undefined) throw new Error(`${what} within ${timeoutMs} ms. Output so far:\n${context()}`);
      return value;
    },
    { timeout: timeoutMs, interval: 25 },
  );
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function stopOnCleanup(run: NodeProcess): void {
  cleanups.push(async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
  });
}

describe.each([
  ['examples/echo-bot.ts', ['--import', 'tsx', 'examples/echo-bot.ts']],
  ['examples/echo-bot.js', ['examples/echo-bot.js']],
])('%s', (_name, args) => {
  it('starts its session and answers each incoming message once with "You said: …", marking it read first', async () => {
    // No echo: the sandbox would otherwise answer every reply, and the bot every echo.
    const gateway: TestGateway = await startSandboxGateway({ SANDBOX_ECHO: '0' });
    cleanups.push(() => gateway.shutdown());
    // message_read goes only to the connection that asked: watch what the gateway sends to the bot.
    const outgoing: Array<{ socket: string; event: string; payload: Record<string, unknown> }> = [];
    gateway.io.on('connection', (socket) => {
      socket.onAnyOutgoing((event: string, payload: Record<string, unknown>) => outgoing.push({ socket: socket.id, event, payload }));
    });
    const observer = await gateway.client();
    const sessionId = `bot-${path.extname(args.at(-1)!).slice(1)}`;
    const connected = nextEvent(observer, 'session_connected', (p) => p.sessionId === sessionId, 30_000);

    const bot = runNode(args, { GATEWAY_URL: gateway.url, SESSION_ID: sessionId });
    stopOnCleanup(bot);
    await connected;
    await waitFor('the bot logged the login', () => /logged in to WhatsApp as Sandbox/.test(bot.output()) || undefined, bot.output);

    await observer.request('sandbox_inject_message', { sessionId, from: PEER, text: 'ping' });

    const botSocket = () => outgoing.find((o) => o.event === 'message_read')?.socket;
    const reply = await waitFor(
      'the gateway sent message_sent "You said: ping" to the bot',
      () => outgoing.find((o) => o.socket === botSocket() && o.event === 'message_sent' && o.payload.message === 'You said: ping'),
      bot.output,
    );
    expect(reply.payload).toMatchObject({ sessionId, to: PEER, chatId: `${PEER}@c.us`, type: 'text' });
    const botEvents = outgoing.filter((o) => o.socket === reply.socket).map((o) => o.event);
    const read = botEvents.indexOf('message_read');
    expect(read, 'read_message before the reply').toBeGreaterThan(-1);
    expect(read).toBeLessThan(botEvents.indexOf('message_sent'));
    await waitFor('the bot logged its reply', () => bot.output().includes(`replied to ${PEER}`) || undefined, bot.output);

    // One reply per message: a second reply to "ping" would go through the session's queue before the reply to "pong".
    await observer.request('sandbox_inject_message', { sessionId, from: PEER, text: 'pong' });
    await waitFor(
      'the gateway sent message_sent "You said: pong" to the bot',
      () => outgoing.find((o) => o.socket === reply.socket && o.event === 'message_sent' && o.payload.message === 'You said: pong'),
      bot.output,
    );
    const toBot = outgoing.filter((o) => o.socket === reply.socket && o.event === 'message_sent');
    expect(toBot.map((o) => o.payload.message)).toEqual(['You said: ping', 'You said: pong']);

    bot.child.kill('SIGTERM');
    expect(await bot.exited, `clean exit on SIGTERM:\n${bot.output()}`).toBe(0);
  }, 60_000);
});

describe('examples/echo-bot.ts with SEQS_FILE', () => {
  it('answers on its return a message that came while it was stopped, and none it answered before', async () => {
    const gateway = await startSandboxGateway({ SANDBOX_ECHO: '0', RECOVERY_WINDOW_MS: '0' });
    cleanups.push(() => gateway.shutdown());
    const observer = await gateway.client();
    const replies: string[] = [];
    observer.on('message_sent', ({ message }) => message && replies.push(message));
    const replied = (text: string) => vi.waitFor(() => expect(replies).toContain(`You said: ${text}`), { timeout: 15_000 });
    const sessionId = 'bot-seqs';
    const env = { GATEWAY_URL: gateway.url, SESSION_ID: sessionId, SEQS_FILE: path.join(gateway.root, 'seqs.json') };
    const start = () => {
      const run = runNode(['--import', 'tsx', 'examples/echo-bot.ts'], env);
      stopOnCleanup(run);
      return run;
    };
    const inject = (text: string) => observer.request('sandbox_inject_message', { sessionId, from: PEER, text });

    const connected = nextEvent(observer, 'session_connected', (p) => p.sessionId === sessionId, 30_000);
    const first = start();
    await connected;
    await inject('before');
    await replied('before');
    await vi.waitFor(() => expect(JSON.parse(readFileSync(env.SEQS_FILE, 'utf8'))).toHaveProperty(sessionId));
    first.child.kill('SIGTERM');
    expect(await first.exited, first.output()).toBe(0);

    await inject('while stopped');
    const second = start();
    await replied('while stopped');
    await inject('after');
    await replied('after');
    expect(replies).toEqual(['You said: before', 'You said: while stopped', 'You said: after']);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
  }, 60_000);
});

describe('examples/seed-example.js (the API doc\'s "Mengirim Pesan Sederhana")', () => {
  const seedDoc = path.resolve(ROOT, '../shared/whatsapp-gateway-api.md');

  it.skipIf(!existsSync(seedDoc))("keeps the documentation's code verbatim (needs ../shared/whatsapp-gateway-api.md)", () => {
    const doc = readFileSync(seedDoc, 'utf8');
    const section = doc.slice(doc.indexOf('### Mengirim Pesan Sederhana'));
    const block = /```javascript\n([\s\S]*?)```/.exec(section)![1]!;
    expect(readFileSync(path.join(ROOT, 'examples/seed-example.js'), 'utf8')).toContain(
      `// ---- SEED: the documentation's code, unchanged ------------------------------\n${block}// ---- END OF SEED`,
    );
  });

  it('works against the gateway started as the README says, on localhost:3000', async () => {
    await assertPortFree(3000);
    const root = await makeTempRoot();
    let gateway: GatewayProcess;
    try {
      gateway = await startMain({
        WA_ENGINE: 'sandbox',
        SANDBOX_SCAN_MS: '0',
        PORT: '3000',
        HOST: '127.0.0.1',
        DATA_DIR: path.join(root, 'data'),
        MEDIA_DIR: path.join(root, 'media'),
      });
    } catch (error) {
      throw new Error(`the gateway did not start on port 3000 (is it taken?): ${(error as Error).message}`, { cause: error });
    }
    stopOnCleanup(gateway);

    const example = runNode(['examples/seed-example.js']);
    stopOnCleanup(example);
    const code = await example.exited;
    expect(code, `seed-example.js output:\n${example.output()}\n\ngateway output:\n${gateway.output()}`).toBe(0);
    expect(example.output()).toContain('Scan this QR code: data:image/png;base64,');
    expect(example.output()).toContain('Received: echo: Hello from bot!');

    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);
});

/** The seed example hard-codes ws://localhost:3000: this test needs that port, and says so rather than skipping. */
async function assertPortFree(port: number): Promise<void> {
  const taken = (detail: string) =>
    new Error(
      `port ${port} is taken (${detail}). The seed example connects to ws://localhost:${port}, so this test needs the port free: stop whatever listens there and run again.`,
    );
  const answers = await new Promise<boolean>((resolve) => {
    const probe = net.connect({ port, host: 'localhost' });
    probe.setTimeout(1000);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('timeout', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
  if (answers) throw taken(`something accepts connections on localhost:${port}`);
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => reject(taken(`${error.code ?? error.message} on 127.0.0.1:${port}`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
