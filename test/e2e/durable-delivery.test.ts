/**
 * The loss test of durable delivery, with real processes and the sandbox engine: 2,000 sends with a
 * clientMessageId at full speed, interrupted at the 600th answer (kill -9, SIGTERM, the client going
 * away, the session stopped). Then, as a bot would: reconnect, re-send every id without a final
 * answer, until each has one. Every message must end with exactly one final outcome, none missing,
 * and the sandbox's own record of what went out (its "WhatsApp") must hold each at most once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { describe, expect, it, vi } from 'vitest';
import { connect, GatewayRequestError, type GatewayClient } from '../../src/client/gateway-client';
import { makeTempRoot, nextEvent, startSandboxGateway } from '../support/sandbox-gateway';
import { startMain, type GatewayProcess } from '../support/gateway-process';

const TOTAL = 2000;
const CUT = 600;
const SESSION = 'loss';
const PEER = '6282284316465';
/** Answers that say the request was not carried out, or not yet: the bot sends the same id again. */
const NOT_FINAL = new Set([
  'send_pending',
  'timeout',
  'not_sent',
  'shutting_down',
  'rate_limited',
  'session_not_connected',
  'session_not_found',
]);
const UNLIMITED = {
  RATE_LIMIT_PER_SEC: '1000000',
  RATE_LIMIT_BURST: '1000000',
  RATE_LIMIT_KEY_PER_SEC: '1000000',
  RATE_LIMIT_IP_PER_SEC: '1000000',
};

type Answer = { final: true; sent: string } | { final: true; failed: string } | { final: false; code: string };
type Interruption = 'kill -9' | 'SIGTERM' | 'client disconnect' | 'session stopped';

function client(gateway: GatewayProcess): Promise<GatewayClient> {
  return connect(gateway.url, { timeoutMs: 60_000, requestsPerSecond: 1_000_000, burst: 1_000_000, transports: ['websocket'] }).connected();
}

function answerOf(error: unknown): Answer {
  const code = error instanceof GatewayRequestError ? error.code : 'unexpected';
  return NOT_FINAL.has(code) ? { final: false, code } : { final: true, failed: code };
}

/** Sends each id once through `bot`, recording every answer; resolves when all are answered. */
function sendAll(bot: GatewayClient, ids: number[], answers: Map<number, Answer[]>, onSent?: (count: number) => void): Promise<void> {
  let sent = 0;
  return Promise.all(
    ids.map((i) =>
      bot.sendMessage({ sessionId: SESSION, to: PEER, message: `message ${i}`, clientMessageId: `id-${i}` }).then(
        (result) => {
          answers.get(i)!.push({ final: true, sent: result.messageId });
          onSent?.((sent += 1));
        },
        (error: unknown) => void answers.get(i)!.push(answerOf(error)),
      ),
    ),
  ).then(() => undefined);
}

const unanswered = (answers: Map<number, Answer[]>) => [...answers].filter(([, list]) => !list.some((a) => a.final)).map(([i]) => i);

async function sandboxRecord(dataDir: string): Promise<Map<string, string[]>> {
  const text = await fs.readFile(path.join(dataDir, `session-${SESSION}`, 'sandbox-sent.jsonl'), 'utf8').catch(() => '');
  const record = new Map<string, string[]>();
  for (const line of text.split('\n').filter(Boolean)) {
    const { id, text: body } = JSON.parse(line) as { id: string; text: string };
    record.set(body, [...(record.get(body) ?? []), id]);
  }
  return record;
}

async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  return startMain(env, { timeoutMs: 30_000 });
}

async function connectedSession(gateway: GatewayProcess): Promise<GatewayClient> {
  const bot = await client(gateway);
  const status = await bot.getSessionStatus(SESSION);
  if (status.status !== 'connected') {
    const ready = nextEvent(bot, 'session_connected', (p) => p.sessionId === SESSION, 20_000);
    await bot.startSession(SESSION);
    await ready;
  }
  return bot;
}

describe.each<Interruption>(['kill -9', 'SIGTERM', 'client disconnect', 'session stopped'])(
  '2,000 sends interrupted by %s',
  (interruption) => {
    it('end with exactly one final outcome each, and none goes out twice', { timeout: 120_000 }, async () => {
      const root = await makeTempRoot();
      const env = {
        WA_ENGINE: 'sandbox',
        SANDBOX_SCAN_MS: '0',
        SANDBOX_ECHO: '0',
        DATA_DIR: path.join(root, 'data'),
        MEDIA_DIR: path.join(root, 'media'),
        SEND_QUEUE_MAX: String(TOTAL),
        // At most 1,000/s, so most of the 2,000 are still queued when the interruption comes at the 600th.
        SEND_MIN_INTERVAL_MS: '1',
        SHUTDOWN_GRACE_MS: '0',
        ...UNLIMITED,
      };
      const ids = Array.from({ length: TOTAL }, (_, i) => i);
      const answers = new Map(ids.map((i) => [i, [] as Answer[]]));
      let gateway = await startGateway(env);
      const running: GatewayProcess[] = [gateway];
      try {
        const first = await connectedSession(gateway);
        let cut!: () => void;
        const atCut = new Promise<void>((resolve) => (cut = resolve));
        const stream = sendAll(first, ids, answers, (count) => count === CUT && cut());
        await atCut;
        if (interruption === 'kill -9') gateway.child.kill('SIGKILL');
        if (interruption === 'SIGTERM') gateway.child.kill('SIGTERM');
        if (interruption === 'client disconnect') first.close();
        if (interruption === 'session stopped') await first.stopSession(SESSION).catch(() => undefined);
        if (interruption === 'kill -9' || interruption === 'SIGTERM') {
          await gateway.exited;
          first.close();
        }
        await stream;

        if (interruption === 'kill -9' || interruption === 'SIGTERM') {
          gateway = await startGateway(env);
          running.push(gateway);
        }
        for (let round = 0; round < 5 && unanswered(answers).length; round += 1) {
          const bot = await connectedSession(gateway);
          await sendAll(bot, unanswered(answers), answers);
          bot.close();
        }

        expect(unanswered(answers)).toEqual([]);
        const finals = [...answers].map(([i, list]) => [i, new Set(list.filter((a) => a.final).map((a) => JSON.stringify(a)))] as const);
        expect(finals.filter(([, outcomes]) => outcomes.size !== 1).map(([i]) => i)).toEqual([]);

        const record = await sandboxRecord(env.DATA_DIR);
        const twice = [...record].filter(([, sentIds]) => sentIds.length > 1);
        expect(twice).toEqual([]);
        for (const [i, list] of answers) {
          const outcome = list.find((a) => a.final)!;
          const inRecord = record.get(`message ${i}`) ?? [];
          if ('sent' in outcome) expect(inRecord, `message ${i}`).toEqual([outcome.sent]);
          else if (outcome.failed !== 'send_interrupted' && outcome.failed !== 'send_unconfirmed')
            expect(inRecord, `message ${i}`).toEqual([]);
        }
        const sentCount = [...answers.values()].filter((list) => list.some((a) => a.final && 'sent' in a)).length;
        expect(sentCount).toBeGreaterThanOrEqual(CUT);
      } finally {
        for (const process of running) process.child.kill('SIGKILL');
      }
    });
  },
);

describe('a bot away while 500 messages arrive and its acks progress', () => {
  it('gets all of them on its return with `since`, once and in order, then live traffic', { timeout: 60_000 }, async () => {
    // RECOVERY_WINDOW_MS=0: however long the bot is away (a minute, in the issue), it comes back through the event log.
    const gateway = await startSandboxGateway({ SANDBOX_ECHO: '0', RECOVERY_WINDOW_MS: '0', ...UNLIMITED });
    try {
      const controller = await gateway.client({ requestsPerSecond: 1_000_000, burst: 1_000_000 });
      const ready = nextEvent(controller, 'session_connected');
      await controller.startSession('bot');
      await ready;

      const last: Record<string, number> = {};
      const remember = (payload: { sessionId: string; seq?: number }) => {
        if (payload.seq !== undefined) last[payload.sessionId] = payload.seq;
      };
      const bot = io(gateway.url, { path: '/ws', transports: ['websocket'] });
      bot.onAny((_event: string, payload: { sessionId: string; seq?: number }) => remember(payload));
      await new Promise<void>((resolve) => bot.once('connect', resolve));
      const mine = await Promise.all(
        Array.from({ length: 20 }, (_, i) => bot.emitWithAck('send_whatsapp_message', { sessionId: 'bot', to: PEER, message: `out ${i}` })),
      );
      const sentIds = mine.map((answer: { data: { messageId: string } }) => answer.data.messageId);
      bot.close(); // away: its acks (server → device → read) keep coming, and so do messages

      const acksRead = new Set<string>();
      controller.on('message_ack', ({ messageId, ack }) => ack === 'read' && acksRead.add(messageId));
      await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          controller.request('sandbox_inject_message', { sessionId: 'bot', from: PEER, text: `in ${i}` }),
        ),
      );
      await vi.waitFor(() => expect(sentIds.every((id) => acksRead.has(id))).toBe(true));

      const back = io(gateway.url, { path: '/ws', transports: ['websocket'], auth: { since: last } });
      const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
      back.onAny((event: string, payload: Record<string, unknown>) => events.push({ event, payload }));
      await vi.waitFor(() => expect(events.some((e) => e.event === 'subscribed')).toBe(true), { timeout: 20_000 });
      await controller.request('sandbox_inject_message', { sessionId: 'bot', from: PEER, text: 'live' });
      await vi.waitFor(() => expect(events.at(-1)?.payload.message).toMatchObject({ text: 'live' }));

      const messages = events
        .filter((e) => e.event === 'message_received')
        .map((e) => e.payload as { message: { text: string }; replayed?: true });
      expect(messages.map((m) => m.message.text)).toEqual([...Array.from({ length: 500 }, (_, i) => `in ${i}`), 'live']);
      expect(messages.slice(0, 500).every((m) => m.replayed)).toBe(true);
      expect(messages.at(-1)).not.toHaveProperty('replayed');
      const seqs = events.filter((e) => typeof e.payload.seq === 'number').map((e) => e.payload.seq as number);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => last.bot! + 1 + i));
      const reads = events.filter((e) => e.event === 'message_ack' && e.payload.ack === 'read').map((e) => e.payload.messageId);
      // Read 150 ms after each send, long after the bot left: every one of them comes back, once.
      expect([...reads].sort()).toEqual([...sentIds].sort());
      const subscribedAt = events.findIndex((e) => e.event === 'subscribed');
      expect(events.findIndex((e) => e.payload.replayed === undefined && typeof e.payload.seq === 'number')).toBeGreaterThan(subscribedAt);
      back.close();
    } finally {
      await gateway.shutdown();
    }
  });
});
