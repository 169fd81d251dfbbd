/** The gateway's Socket.IO types, in one place: the server, one connection, and what a connection carries. */
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../protocol/events';
import type { Access } from './api-keys';

/** What the gateway keeps on each connection once it is admitted. */
interface SocketData {
  access: Access;
  /** Per followed session: the seq after which this connection has received every event (subscriptions.ts). */
  haveAfter: Record<string, number>;
  /** Per session being resumed: the `since` it was asked from, to start again after a connection recovery. */
  resuming?: Record<string, number>;
}

type NoServerEvents = Record<string, never>;

export type GatewayIo = Server<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;
export type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, NoServerEvents, SocketData>;
