/**
 * The "Example Usage" code of the API documentation (shared/whatsapp-gateway-api.md,
 * section "Mengirim Pesan Sederhana"), run as it is against the gateway.
 *
 *   WA_ENGINE=sandbox SANDBOX_SCAN_MS=0 DATA_DIR=$(mktemp -d) npm run dev   # gateway on localhost:3000
 *   node examples/seed-example.js
 *
 * Use a fresh DATA_DIR: a session that paired before shows no QR code.
 *
 * Only the lines marked ADDED are not from the documentation: the require
 * that the browser snippet does not need, and an exit code for the test
 * (test/examples/examples.test.ts): 0 once qr_code, session_connected,
 * message_sent and the sandbox's echo have arrived, 1 after 20 s otherwise.
 */
'use strict';

// ---- ADDED: the snippet assumes `io` is in scope ---------------------------
const { io } = require('socket.io-client');

// ---- SEED: the documentation's code, unchanged ------------------------------
// 1. Connect
const socket = io('ws://localhost:3000', { path: '/ws' });

// 2. Start session
socket.emit('start_session', { sessionId: 'bot-session' });

// 3. Listen for QR code
socket.on('qr_code', (data) => {
  console.log('Scan this QR code:', data.qrCode);
});

// 4. Listen for connection
socket.on('session_connected', () => {
  // 5. Send message
  socket.emit('send_whatsapp_message', {
    sessionId: 'bot-session',
    to: '6282284316465',
    message: 'Hello from bot!',
    type: 'text'
  });
});

// 6. Listen for incoming messages
socket.on('message_received', (data) => {
  console.log('Received:', data.message.text);
});
// ---- END OF SEED -------------------------------------------------------------

// ---- ADDED: exit 0 once every step of the example has been seen -------------
const seen = new Set();
function saw(step) {
  seen.add(step);
  if (seen.size === 4) {
    console.log('seed example: qr_code, session_connected, message_sent and the echo all arrived');
    process.exit(0);
  }
}
socket.on('qr_code', () => saw('qr_code'));
socket.on('session_connected', () => saw('session_connected'));
socket.on('message_sent', () => saw('message_sent'));
socket.on('message_received', (data) => data.message.text === 'echo: Hello from bot!' && saw('message_received'));
setTimeout(() => {
  console.error(`seed example: only saw ${[...seen].join(', ') || 'nothing'} within 20 s`);
  process.exit(1);
}, 20_000);
