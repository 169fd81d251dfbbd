/**
 * Catch-up after downtime (issue 15) through the API on the sandbox: messages that arrive while a
 * session (or the whole gateway) is not running reach clients at the next connect as
 * message_received with `backfilled: true`, each once, within BACKFILL_WINDOW_MS and
 * BACKFILL_MAX_MESSAGES; they are in the event log like live ones (docs/sandbox.md, docs/decisions.md).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import type { CatchUpReader } from '../../src/engines/capabilities/catch-up';
import type { Engine } from '../../src/engines/engine';
import { SandboxOfflineArrivals } from '../../src/engines/sandbox/inbox';
import type { ServerPayload } from '../../src/protocol/events';
import { SessionStorage } from '../../src/storage/session-storage';
import { collect, nextEvent, sandboxEngine, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const SESSION = 'catch-up';
const PEER = '6282284316465';
const MINUTE = 60_000;

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.shutdown();
  gateway = undefined;
});

async function startGateway(env: Record<string, string> = {}, root?: string): Promise<GatewayClient> {
  gateway = await startSandboxGateway({ SANDBOX_ECHO: '0', ...env }, root);
  return gateway.client();
}

async function startSession(client: GatewayClient): Promise<void> {
  const connected = nextEvent(client, 'session_connected');
  await client.startSession(SESSION);
  await connected;
}

const queueOffline = (client: GatewayClient, text: string, ageMs?: number) =>
  client.request('sandbox_queue_offline_message', { sessionId: SESSION, from: PEER, text, ...(ageMs !== undefined && { ageMs }) });

/** A session AUTO_LOAD_SESSIONS restores at boot, once connected. */
async function restored(client: GatewayClient): Promise<void> {
  await vi.waitFor(async () => expect((await client.request('get_session_status', { sessionId: SESSION })).status).toBe('connected'));
}

/**
 * An own message after the connect: the session handles its events in order, so once it is here the
 * catch-up (which runs before it) has delivered everything it found. (Not an incoming one: that would
 * be in the chats the catch-up reads, and count against BACKFILL_MAX_MESSAGES if it got there first.)
 */
async function afterCatchUp(client: GatewayClient): Promise<void> {
  const marker = `marker ${Math.random()}`;
  const arrived = nextEvent(client, 'own_message', (p) => p.message.text === marker);
  await client.request('sandbox_inject_own_message', { sessionId: SESSION, to: PEER, text: marker });
  await arrived;
}

async function deliverLive(client: GatewayClient, text: string): Promise<void> {
  const arrived = nextEvent(client, 'message_received', (p) => p.message.text === text);
  await client.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text });
  await arrived;
}

/** Connects (the first connect sets the watermark), stops, lets `meanwhile` happen, connects again: the message_received that came. */
async function reconnectAfter(client: GatewayClient, meanwhile: () => Promise<unknown>): Promise<Array<ServerPayload<'message_received'>>> {
  await startSession(client);
  await client.stopSession(SESSION);
  await meanwhile();
  const received = collect(client, 'message_received');
  await startSession(client);
  await afterCatchUp(client);
  return received;
}

const texts = (received: Array<ServerPayload<'message_received'>>, backfilled: boolean) =>
  received.filter((p) => (p.backfilled === true) === backfilled).map((p) => p.message.text);

describe('messages that arrived while the session was stopped', () => {
  it('are delivered at the next connect, backfilled, oldest first, and never again', async () => {
    const client = await startGateway();
    await startSession(client);
    await deliverLive(client, 'live before');
    await client.stopSession(SESSION);
    const queued = await queueOffline(client, 'while away 1', 2000);
    await queueOffline(client, 'while away 2', 1000);
    expect(queued).toMatchObject({ sessionId: SESSION, message: { text: 'while away 1', from: PEER, fromMe: false } });

    const received = collect(client, 'message_received');
    await startSession(client);
    await afterCatchUp(client);
    expect(texts(received, true)).toEqual(['while away 1', 'while away 2']);
    expect(texts(received, false)).toEqual([]);
    const first = received.find((p) => p.message.text === 'while away 1')!;
    expect(first.message.id).toBe(queued.message.id);
    expect(first.seq).toBeGreaterThan(0);

    await client.stopSession(SESSION);
    received.length = 0;
    await startSession(client);
    await afterCatchUp(client);
    expect(texts(received, true)).toEqual([]);
  });

  it('the first connect of a new session backfills nothing: its history is not something the bot missed', async () => {
    const client = await startGateway();
    await startSession(client);
    await client.stopSession(SESSION);
    // The watermark is set at the first connect; a message from before it is history.
    await queueOffline(client, 'long before', 20 * MINUTE);
    const received = collect(client, 'message_received');
    await startSession(client);
    await afterCatchUp(client);
    expect(texts(received, true)).toEqual([]);
  });

  it('none older than BACKFILL_WINDOW_MS', async () => {
    const client = await startGateway({ BACKFILL_WINDOW_MS: String(MINUTE) });
    const received = await reconnectAfter(client, async () => {
      await queueOffline(client, 'too old', 2 * MINUTE);
      await queueOffline(client, 'recent', 1000);
    });
    expect(texts(received, true)).toEqual(['recent']);
  });

  it('at most BACKFILL_MAX_MESSAGES per connect, the newest', async () => {
    const client = await startGateway({ BACKFILL_MAX_MESSAGES: '2' });
    const received = await reconnectAfter(client, async () => {
      for (const [index, text] of ['one', 'two', 'three'].entries()) await queueOffline(client, text, 3000 - index * 1000);
    });
    expect(texts(received, true)).toEqual(['two', 'three']);
  });

  it('BACKFILL_MAX_MESSAGES=0 turns the catch-up off', async () => {
    const client = await startGateway({ BACKFILL_MAX_MESSAGES: '0' });
    const received = await reconnectAfter(client, async () => {
      await queueOffline(client, 'not caught up', 1000);
    });
    expect(texts(received, true)).toEqual([]);
  });

  it('are in the event log: a resume with since replays them, still marked backfilled', async () => {
    const client = await startGateway();
    await startSession(client);
    await client.stopSession(SESSION);
    await queueOffline(client, 'kept', 1000);
    const backfilled = nextEvent(client, 'message_received', (p) => p.message.text === 'kept');
    await startSession(client);
    const { seq } = await backfilled;

    const bot = await gateway!.client();
    const replayed = collect(bot, 'message_received');
    const answer = await bot.request('subscribe', { sessionIds: '*', since: { [SESSION]: seq! - 1 } });
    expect(answer.replayed?.[SESSION]).toMatchObject({ truncated: false });
    expect(replayed[0]).toMatchObject({ seq, replayed: true, backfilled: true, message: { text: 'kept' } });
  });
});

describe('a live event racing the catch-up', () => {
  it('for a message the catch-up is delivering: the message goes out once, backfilled', async () => {
    // The engine reports each message it finds live as well, while the catch-up is still reading the chats.
    const racing = (config: TestGateway['config']): Engine => {
      const sandbox = sandboxEngine(config);
      return {
        name: 'sandbox',
        assertCanStart: () => undefined,
        offlineArrivals: sandbox.offlineArrivals,
        createSession: (sessionId, listener, login) => {
          const session = sandbox.createSession(sessionId, listener, login);
          const reader = session.catchUp!;
          const catchUp: CatchUpReader = {
            recentIncoming: async (query) => {
              const found = await reader.recentIncoming(query);
              for (const message of found) listener.onMessage(message);
              return found;
            },
          };
          return Object.assign(session, { catchUp });
        },
      };
    };
    gateway = await startSandboxGateway({ SANDBOX_ECHO: '0' }, undefined, { engine: racing });
    const client = await gateway.client();
    const received = await reconnectAfter(client, async () => {
      await queueOffline(client, 'raced', 1000);
    });
    expect(received.map((p) => [p.message.text, p.backfilled])).toEqual([['raced', true]]);
  });
});

describe('across a restart of the gateway', () => {
  it('what arrived while it was down is delivered once; what it delivered before is not delivered again', async () => {
    let client = await startGateway();
    await startSession(client);
    await deliverLive(client, 'live before the restart');
    const { root, config } = gateway!;
    await gateway!.shutdown();
    gateway = undefined;

    // The phone receives while no gateway runs.
    const phone = new SandboxOfflineArrivals(new SessionStorage(config.dataDir));
    await phone.queue(SESSION, `${PEER}@c.us`, 'while the gateway was down', 1000);

    gateway = await startSandboxGateway({ SANDBOX_ECHO: '0' }, root);
    client = await gateway.client();
    const received = collect(client, 'message_received');
    // AUTO_LOAD_SESSIONS restored it at boot; subscribing replays what it published since.
    await client.request('subscribe', { sessionIds: '*', since: { [SESSION]: 0 } });
    await restored(client);
    await afterCatchUp(client);
    const backfilled = received.filter((p) => p.backfilled);
    expect(backfilled.map((p) => p.message.text)).toEqual(['while the gateway was down']);
    expect(received.filter((p) => p.message.text === 'live before the restart' && !p.replayed)).toEqual([]);

    await gateway.shutdown();
    gateway = await startSandboxGateway({ SANDBOX_ECHO: '0' }, root);
    client = await gateway.client();
    const again = collect(client, 'message_received');
    await restored(client);
    await afterCatchUp(client);
    expect(again.filter((p) => p.backfilled)).toEqual([]);
  });
});

describe('refused with a stable code', () => {
  it('session_not_found for a session never started (no account to receive)', async () => {
    const client = await startGateway();
    await expect(client.request('sandbox_queue_offline_message', { sessionId: 'nobody', from: PEER, text: 'x' })).rejects.toMatchObject({
      code: 'session_not_found',
    });
  });

  it('not_supported by an engine that simulates nothing', async () => {
    const withoutArrivals = (config: TestGateway['config']): Engine => {
      const sandbox = sandboxEngine(config);
      return { name: 'sandbox', assertCanStart: () => undefined, createSession: (...args) => sandbox.createSession(...args) };
    };
    gateway = await startSandboxGateway({}, undefined, { engine: withoutArrivals });
    const client = await gateway.client();
    await expect(client.request('sandbox_queue_offline_message', { sessionId: SESSION, from: PEER, text: 'x' })).rejects.toMatchObject({
      code: 'not_supported',
    });
  });

  it('invalid_payload for a negative age', async () => {
    const client = await startGateway();
    await expect(queueOffline(client, 'x', -1)).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
