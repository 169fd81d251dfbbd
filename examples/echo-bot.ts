/**
 * Echo bot: answers every incoming WhatsApp message with "You said: <text>".
 *
 *   GATEWAY_URL=http://localhost:3000 API_KEY=… SESSION_ID=echo-bot SEQS_FILE=echo-bot-seqs.json npx tsx examples/echo-bot.ts
 *
 * With SEQS_FILE it keeps, per session, the seq of the last message it answered: started again, it
 * is first sent what came while it was stopped, and nothing it answered already. (Reconnects while it
 * runs need nothing of it: the client resumes by itself.)
 *
 * Copy it as the start of your own bot. Protocol reference: docs/protocol.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, GatewayRequestError } from '../src/client/gateway-client';
import type { ServerPayload } from '../src/protocol/events';

const GATEWAY_URL = process.env.GATEWAY_URL ?? 'http://localhost:3000';
const API_KEY = process.env.API_KEY || undefined;
const SESSION_ID = process.env.SESSION_ID ?? 'echo-bot';
const SEQS_FILE = process.env.SEQS_FILE || undefined;

const answered: Record<string, number> = SEQS_FILE && existsSync(SEQS_FILE) ? JSON.parse(readFileSync(SEQS_FILE, 'utf8')) : {};
const wa = connect(GATEWAY_URL, { token: API_KEY, since: answered });

function logError(what: string, error: unknown): void {
  if (error instanceof GatewayRequestError) console.error(`${what} failed: ${error.code}: ${error.message}`);
  else console.error(`${what} failed:`, error);
}

// start_session is idempotent: (re)starting on every (re)connect also picks the session up after a gateway restart.
wa.socket.on('connect', () => {
  console.log(`connected to ${GATEWAY_URL}, starting session "${SESSION_ID}"`);
  wa.startSession(SESSION_ID).then(
    (status) => console.log(`session "${SESSION_ID}" is ${status.status}`),
    (error: unknown) => logError('start_session', error),
  );
});
wa.socket.on('connect_error', (error) => console.error(`cannot reach the gateway: ${error.message}`));

// The gateway sends the events of every session by default: keep to ours.
wa.on('qr_code', ({ sessionId, qr, attempt }) => {
  if (sessionId !== SESSION_ID) return;
  console.log(`scan the QR code with WhatsApp → Linked devices (attempt ${attempt}):`);
  console.log(`  open the test console at ${GATEWAY_URL}/, or render this string as a QR code: ${qr}`);
});
wa.on('session_connected', ({ sessionId, phoneNumber, pushname }) => {
  if (sessionId === SESSION_ID) console.log(`logged in to WhatsApp as ${pushname} (${phoneNumber})`);
});
wa.on('session_disconnected', ({ sessionId, reason }) => {
  if (sessionId === SESSION_ID) console.log(`session disconnected: ${reason}`);
});

// One message at a time, so that the seq saved after each is that of every message answered so far.
let turn = Promise.resolve();
wa.on('message_received', (event) => {
  turn = turn
    .then(() => answer(event))
    .then(() => saveAnswered(event))
    .catch((error: unknown) => logError(`saving to ${SEQS_FILE}`, error));
});

function saveAnswered({ sessionId, seq }: ServerPayload<'message_received'>): void {
  if (!SEQS_FILE || sessionId !== SESSION_ID || seq === undefined) return;
  answered[sessionId] = seq;
  writeFileSync(SEQS_FILE, JSON.stringify(answered));
}

async function answer({ sessionId, message }: ServerPayload<'message_received'>): Promise<void> {
  if (sessionId !== SESSION_ID || message.key.fromMe || !message.text) return;
  console.log(`message from ${message.from}: ${message.text}`);
  try {
    await wa.readMessage(SESSION_ID, message.key);
    const sent = await wa.sendMessage({
      sessionId: SESSION_ID,
      to: message.isGroup ? message.chatId : message.from,
      message: `You said: ${message.text}`,
    });
    console.log(`replied to ${sent.to} (${sent.messageId})`);
  } catch (error) {
    logError('reply', error);
  }
}

// Leaves the session running in the gateway; call wa.stopSession(SESSION_ID) first if it should stop with the bot.
function shutdown(signal: NodeJS.Signals): void {
  console.log(`${signal}: disconnecting`);
  wa.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
