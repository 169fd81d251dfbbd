/**
 * The load generator's connections: socket.io-client, websocket transport,
 * one real connection per client, to a server child on 127.0.0.1.
 */
import { io, type Socket } from 'socket.io-client';

export type Client = Socket;
export type AckResponse = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

const openClients = new Set<Client>();

export async function connectClient(url: string): Promise<Client> {
  // forceNew: one real connection per client (socket.io-client would otherwise multiplex them onto one).
  const socket = io(url, { path: '/ws', transports: ['websocket'], forceNew: true, reconnection: false });
  openClients.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** `count` connections, 25 at a time. */
export async function connectMany(url: string, count: number): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < count; i += 25) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => connectClient(url)))));
  }
  return out;
}

export function closeClient(socket: Client): void {
  socket.close();
  openClients.delete(socket);
}

export function closeAllClients(): void {
  for (const socket of openClients) closeClient(socket);
}

/** Emits a request and resolves with its acknowledgement. */
export function call(socket: Client, event: string, payload: unknown, timeoutMs = 10_000): Promise<AckResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${event}: no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
    socket.emit(event, payload, (response: AckResponse) => {
      clearTimeout(timer);
      resolve(response);
    });
  });
}

/** The data of a successful answer; throws on an error answer. */
export function ok(response: AckResponse, what: string): Record<string, unknown> {
  if (!response.ok) throw new Error(`${what}: ${response.error.code}: ${response.error.message}`);
  return response.data;
}

/** start_session and wait until it is connected (the sandbox pairs by itself). */
export async function startSession(socket: Client, sessionId: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let listener: ((payload: { sessionId: string }) => void) | undefined;
  const connected = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`session ${sessionId} did not connect within 15 s`)), 15_000);
    listener = (payload) => {
      if (payload.sessionId === sessionId) resolve();
    };
    socket.on('session_connected', listener);
  });
  try {
    const status = ok(await call(socket, 'start_session', { sessionId }), 'start_session');
    if (status.status !== 'connected') await connected;
  } finally {
    clearTimeout(timer);
    socket.off('session_connected', listener);
  }
}

/** Resolves once every id in `sessionIds` has sent session_connected to `socket`. */
export function allConnected(socket: Client, sessionIds: readonly string[], timeoutMs: number): Promise<void> {
  const waiting = new Set(sessionIds);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${waiting.size}/${sessionIds.length} sessions not connected after ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    socket.on('session_connected', ({ sessionId }: { sessionId: string }) => {
      waiting.delete(sessionId);
      if (waiting.size === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/**
 * Resolves once `socket` has received none of `events` for `quietMs` (the
 * gateway is done with what a phase left behind: delayed acks, queued
 * writes); rejects after `timeoutMs`. Resolves with how many arrived.
 */
export function untilQuiet(socket: Client, events: readonly string[], quietMs: number, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let timer: NodeJS.Timeout;
    const done = (settle: () => void) => {
      clearTimeout(timer);
      clearTimeout(guard);
      socket.offAny(onEvent);
      settle();
    };
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(() => resolve(seen)), quietMs);
    };
    const onEvent = (event: string) => {
      if (!events.includes(event)) return;
      seen += 1;
      restart();
    };
    const guard = setTimeout(
      () => done(() => reject(new Error(`still receiving ${events.join('/')} after ${timeoutMs / 1000} s`))),
      timeoutMs,
    );
    socket.onAny(onEvent);
    restart();
  });
}
