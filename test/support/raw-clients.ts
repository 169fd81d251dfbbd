/**
 * Raw Engine.IO v4 clients over WebSocket and HTTP long-polling: they send exactly what the
 * caller sends (besides answering the engine's pings), so tests and bench/attacks.ts can send
 * what no Socket.IO client would. Socket.IO packets travel inside Engine.IO message packets ('4').
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import WebSocket from 'ws';

export class RawWebSocket {
  readonly messages: Array<string | Buffer> = [];
  closed: { code: number; at: number } | null = null;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? (data as Buffer) : data.toString();
      if (message === '2')
        ws.send('3'); // engine.io ping → pong
      else this.messages.push(message);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closed = { code, at: performance.now() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  /** Opens the socket and waits for the engine's open packet; null when the handshake is refused. */
  static open(url: string, headers: Record<string, string> = {}, query = ''): Promise<RawWebSocket | null> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws/?EIO=4&transport=websocket${query}`, { headers });
    const socket = new RawWebSocket(ws);
    return new Promise((resolve) => {
      ws.once('message', () => resolve(socket));
      ws.once('unexpected-response', (request) => {
        request.destroy();
        resolve(null);
      });
      ws.once('close', () => resolve(null));
    });
  }

  /** Sends and resolves once written (or at once when the socket is no longer open). */
  send(data: string | Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState !== WebSocket.OPEN) return resolve();
      this.ws.send(data, () => resolve());
    });
  }

  /** The first message from index `from` on that passes `match`; null on close or after `timeoutMs`. */
  async next(match: (message: string | Buffer) => boolean, timeoutMs = 2000, from = 0): Promise<string | Buffer | null> {
    const deadline = performance.now() + timeoutMs;
    for (let index = from; ;) {
      for (; index < this.messages.length; index += 1) if (match(this.messages[index]!)) return this.messages[index]!;
      if (this.closed || performance.now() >= deadline) return null;
      await this.change(deadline - performance.now());
    }
  }

  /** Resolves with the close code, or null if still open after `timeoutMs`. */
  async whenClosed(timeoutMs = 2000): Promise<number | null> {
    const deadline = performance.now() + timeoutMs;
    while (!this.closed && performance.now() < deadline) await this.change(deadline - performance.now());
    return this.closed?.code ?? null;
  }

  close(): void {
    this.ws.terminate();
  }

  /** Resolves on the next message or close, or after `ms`. */
  private change(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      }
      waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** A raw Engine.IO v4 long-polling session over keep-alive HTTP, from `localAddress` when given (any 127.x.y.z on loopback). */
export class RawPolling {
  private constructor(
    private readonly base: string,
    private readonly agent: http.Agent,
    readonly sid: string,
  ) {}

  /** The polling handshake; null when refused. */
  static async open(url: string, headers: Record<string, string> = {}, query = '', localAddress?: string): Promise<RawPolling | null> {
    const base = `${url}/ws/?EIO=4&transport=polling${query}`;
    const agent = new http.Agent({ keepAlive: true, ...(localAddress && { localAddress }) });
    const answer = await request(agent, base, 'GET', headers);
    const sid = answer?.status === 200 ? /"sid":"([^"]+)"/.exec(answer.body)?.[1] : undefined;
    if (sid) return new RawPolling(base, agent, sid);
    agent.destroy();
    return null;
  }

  /** POSTs Engine.IO packets (join several with '\x1e'); resolves with the HTTP status (0 when the connection broke). */
  async post(body: string): Promise<number> {
    const answer = await request(this.agent, `${this.base}&sid=${this.sid}`, 'POST', { 'content-type': 'text/plain;charset=UTF-8' }, body);
    return answer?.status ?? 0;
  }

  /** One GET: the packets waiting for this session, or null when the session is gone. */
  async poll(): Promise<string[] | null> {
    const answer = await request(this.agent, `${this.base}&sid=${this.sid}`, 'GET');
    return answer?.status === 200 ? answer.body.split('\x1e') : null;
  }

  close(): void {
    this.agent.destroy();
  }
}

function request(
  agent: http.Agent,
  url: string,
  method: 'GET' | 'POST',
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const outgoing = http.request(url, { agent, method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', () => resolve(null));
    });
    outgoing.on('error', () => resolve(null));
    outgoing.end(body);
  });
}

/** A Socket.IO EVENT packet inside an Engine.IO message packet, with an ack id when given. */
export function eventPacket(event: string, payload?: unknown, ackId?: number): string {
  return `42${ackId ?? ''}${JSON.stringify(payload === undefined ? [event] : [event, payload])}`;
}

/** A Socket.IO BINARY_EVENT header announcing `attachments` binary frames that follow, with an ack id when given. */
export function binaryEventHeader(event: string, attachments: number, ackId?: number): string {
  const placeholders = Array.from({ length: attachments }, (_, num) => ({ _placeholder: true, num }));
  return `45${attachments}-${ackId ?? ''}${JSON.stringify([event, ...placeholders])}`;
}

/** Socket.IO CONNECT (inside an Engine.IO message packet) with this auth payload. */
export function connectPacket(auth: Record<string, unknown> = {}): string {
  return `40${JSON.stringify(auth)}`;
}

/** The CONNECT answer that admits the socket. */
export const isConnectAck = (message: string | Buffer): boolean => typeof message === 'string' && message.startsWith('40{"sid"');

/** Connects with raw socket.io-client options; resolves 'connected' or the connect_error message. */
export function tryConnect(url: string, options: Parameters<typeof io>[1]): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(url, { path: '/ws', reconnection: false, ...options });
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

/** A bare Engine.IO handshake over `transport` with these headers: "<HTTP status> <body>" ("101" when it opens). */
export function handshake(url: string, transport: 'websocket' | 'polling', headers: Record<string, string>): Promise<string> {
  if (transport === 'polling') {
    return fetch(`${url}/ws/?EIO=4&transport=polling`, { headers }).then(async (response) => `${response.status} ${await response.text()}`);
  }
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/ws/?EIO=4&transport=websocket`, { headers });
    ws.on('error', () => {});
    ws.once('open', () => {
      ws.terminate();
      resolve('101');
    });
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(`${response.statusCode} ${body}`));
      response.on('close', () => request.destroy());
    });
  });
}
