/**
 * A message action sent right after a send, without waiting for its answer, reaches the engine after
 * that send: react, edit, delete and forward take their place in the session's send queue when they
 * arrive, behind the sends that arrived before them, however long those take to join it (issue 14).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/storage/memory-store';
import { RecordingEngine } from '../../support/recording-engine';
import { nextEvent, sandboxEngine, startSandboxGateway, type TestGateway } from '../../support/sandbox-gateway';

const SESSION = 'order';
const PEER = '6282284316465';
const OTHER = '6282284316466';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.shutdown();
  gateway = undefined;
});

const ORDERED = ['sendMessage', 'react', 'edit', 'delete', 'forward'];

/** The sends and message actions the engine was handed, in order: a send by its text, an action by its message. */
function handedOver(engine: RecordingEngine): string[] {
  return engine.calls
    .filter(({ method }) => ORDERED.includes(method))
    .map(({ method, args }) => `${method}:${method === 'sendMessage' ? (args[1] as { text?: string }).text : String(args[0])}`);
}

/**
 * A gateway on the sandbox, recorded, whose outbox holds every clientMessageId lookup until `release`:
 * a send with a clientMessageId is then still on its way into the queue when the requests after it arrive.
 */
async function start() {
  let engine!: RecordingEngine;
  const store = new MemoryStore();
  const lookUp = store.outbox.byClientMessageId.bind(store.outbox);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let holding = false;
  store.outbox.byClientMessageId = async (sessionId, clientMessageId) => {
    if (holding) await held;
    return lookUp(sessionId, clientMessageId);
  };
  gateway = await startSandboxGateway({ SANDBOX_ECHO: '0' }, undefined, {
    engine: (config) => (engine = new RecordingEngine(sandboxEngine(config))),
    store,
  });
  const client = await gateway.client();
  const ready = nextEvent(client, 'session_connected');
  await client.startSession(SESSION);
  await ready;
  return { client, handed: () => handedOver(engine), hold: () => (holding = true), release };
}

describe('message actions behind the send before them', () => {
  it('react, edit, forward and delete of an earlier message run after a send still joining the queue', async () => {
    const { client, handed, hold, release } = await start();
    const { messageId } = await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'first' });
    hold();

    const sent = client.sendMessage({ sessionId: SESSION, to: PEER, message: 'second', clientMessageId: 'c2' });
    const actions = [
      client.reactToMessage(SESSION, messageId, '👍'),
      client.editMessage(SESSION, messageId, 'first, edited'),
      client.forwardMessage(SESSION, messageId, OTHER),
      client.deleteMessage(SESSION, messageId, true),
    ];
    // Answered at once, not through the queue: once it is, the gateway has taken in every request before it.
    await client.request('get_session_status', { sessionId: SESSION });
    release();

    await expect(sent).resolves.toMatchObject({ clientMessageId: 'c2' });
    const outcomes = await Promise.allSettled(actions);
    expect(handed()).toEqual([
      'sendMessage:first',
      'sendMessage:second',
      `react:${messageId}`,
      `edit:${messageId}`,
      `forward:${messageId}`,
      `delete:${messageId}`,
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });
});
