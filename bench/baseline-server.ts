/**
 * The baseline of `npm run bench`: plain Socket.IO (same version, path,
 * transports and CORS setting as the gateway) doing the same protocol work
 * with the same payload shapes and sizes, and nothing else: no validation,
 * no queue, no engine, no message_ack.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

type Ack = (response: unknown) => void;

const ALL = 'sessions:*';
const PHONE_NUMBER = '15550000001';

export async function startBaselineServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const httpServer = createServer();
  const io = new Server(httpServer, { path: '/ws', transports: ['websocket', 'polling'], cors: { origin: '*' } });
  let sent = 0;
  io.on('connection', (socket: Socket) => {
    void socket.join(ALL);
    socket.on('send_whatsapp_message', (request: SendRequest, ack?: Ack) => {
      sent += 1;
      const data = messageSent(request, sent);
      socket.emit('message_sent', data);
      ack?.({ ok: true, data });
    });
    // An incoming message, broadcast to every follower.
    socket.on('sandbox_inject_message', (request: InjectRequest, ack?: Ack) => {
      const payload = messageReceived(request);
      io.to(ALL).emit('message_received', payload);
      if (!socket.rooms.has(ALL)) socket.emit('message_received', payload);
      ack?.({ ok: true, data: payload });
    });
    socket.on('subscribe', (request: { sessionIds: '*' | string[] }, ack?: Ack) => {
      if (request.sessionIds === '*') void socket.join(ALL);
      else void socket.leave(ALL);
      socket.emit('subscribed', request);
      ack?.({ ok: true, data: request });
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => io.close(() => resolve())) };
}

interface SendRequest {
  sessionId: string;
  to: string;
  message?: string;
  clientMessageId?: string;
}

interface InjectRequest {
  sessionId: string;
  from: string;
  text: string;
}

/** The answer the gateway gives to a text send: the same fields and sizes. */
function messageSent(request: SendRequest, sent: number) {
  const chatId = `${request.to}@c.us`;
  return {
    sessionId: request.sessionId,
    to: request.to,
    chatId,
    message: request.message,
    type: 'text',
    messageId: `true_${chatId}_SANDBOX${Date.now().toString(16).toUpperCase()}${sent}`,
    timestamp: Date.now(),
    ...(request.clientMessageId !== undefined && { clientMessageId: request.clientMessageId }),
  };
}

/** An incoming message of the same shape and size as the sandbox's. */
function messageReceived(request: InjectRequest) {
  const chatId = `${request.from}@c.us`;
  const id = `SANDBOX${randomBytes(8).toString('hex').toUpperCase()}`;
  return {
    sessionId: request.sessionId,
    message: {
      id: `false_${chatId}_${id}`,
      key: { remoteJid: chatId, id, fromMe: false },
      from: request.from,
      to: PHONE_NUMBER,
      chatId,
      text: request.text,
      type: 'text',
      isGroup: false,
      pushname: `Contact ${request.from.slice(-4)}`,
      timestamp: Date.now(),
      hasMedia: false,
    },
  };
}
