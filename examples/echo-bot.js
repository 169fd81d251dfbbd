/**
 * Echo bot in plain JavaScript: answers every incoming WhatsApp message with
 * "You said: <text>". Needs only socket.io-client (npm install socket.io-client).
 *
 *   GATEWAY_URL=http://localhost:3000 API_KEY=… SESSION_ID=echo-bot node examples/echo-bot.js
 *
 * Protocol reference: docs/protocol.md.
 */
'use strict';
const { io } = require('socket.io-client');

const GATEWAY_URL = process.env.GATEWAY_URL || 'http://localhost:3000';
const API_KEY = process.env.API_KEY || undefined;
const SESSION_ID = process.env.SESSION_ID || 'echo-bot';

const socket = io(GATEWAY_URL, { path: '/ws', auth: API_KEY ? { token: API_KEY } : undefined });

/** Emits a request and resolves with its data, or rejects with { code, message } (the acknowledgement form). */
function request(event, payload) {
  return new Promise((resolve, reject) => {
    socket.timeout(30000).emit(event, payload, (timeoutError, ack) => {
      if (timeoutError) reject({ code: 'timeout', message: `no answer to ${event}` });
      else if (ack.ok) resolve(ack.data);
      else reject(ack.error);
    });
  });
}

function logError(what, error) {
  if (error && error.code) console.error(`${what} failed: ${error.code}: ${error.message}`);
  else console.error(`${what} failed:`, error);
}

// start_session is idempotent: (re)starting on every (re)connect also picks the session up after a gateway restart.
socket.on('connect', () => {
  console.log(`connected to ${GATEWAY_URL}, starting session "${SESSION_ID}"`);
  request('start_session', { sessionId: SESSION_ID }).then(
    (status) => console.log(`session "${SESSION_ID}" is ${status.status}`),
    (error) => logError('start_session', error),
  );
});
socket.on('connect_error', (error) => console.error(`cannot reach the gateway: ${error.message}`));

// The gateway sends the events of every session by default: keep to ours.
socket.on('qr_code', ({ sessionId, qr, attempt }) => {
  if (sessionId !== SESSION_ID) return;
  console.log(`scan the QR code with WhatsApp → Linked devices (attempt ${attempt}):`);
  console.log(`  open the test console at ${GATEWAY_URL}/, or render this string as a QR code: ${qr}`);
});
socket.on('session_connected', ({ sessionId, phoneNumber, pushname }) => {
  if (sessionId === SESSION_ID) console.log(`logged in to WhatsApp as ${pushname} (${phoneNumber})`);
});
socket.on('session_disconnected', ({ sessionId, reason }) => {
  if (sessionId === SESSION_ID) console.log(`session disconnected: ${reason}`);
});

socket.on('message_received', async ({ sessionId, message }) => {
  if (sessionId !== SESSION_ID || message.key.fromMe || !message.text) return;
  console.log(`message from ${message.from}: ${message.text}`);
  try {
    await request('read_message', { sessionId: SESSION_ID, messageKey: message.key });
    const sent = await request('send_whatsapp_message', {
      sessionId: SESSION_ID,
      to: message.isGroup ? message.chatId : message.from,
      message: `You said: ${message.text}`,
    });
    console.log(`replied to ${sent.to} (${sent.messageId})`);
  } catch (error) {
    logError('reply', error);
  }
});

// Leaves the session running in the gateway; emit stop_session first if it should stop with the bot.
function shutdown(signal) {
  console.log(`${signal}: disconnecting`);
  socket.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
