/** What bench/engine.ts and its children (bench/engine-child.ts) say to each other over IPC. */
import { performance } from 'node:perf_hooks';

export type ChildKind = 'gateway' | 'bare';

export type ChildCommand =
  | { type: 'send'; count: number; inFlight: number; to: string[]; ratePerSec?: number }
  | { type: 'arrivals' }
  | { type: 'pageCalls' }
  | { type: 'restart' }
  | { type: 'close' };

export type ChildReply =
  | { type: 'ready'; url?: string; startToQrMs?: number; startToConnectedMs?: number }
  | { type: 'sent'; latenciesMs: number[]; failed: number }
  | { type: 'arrivals'; at: Record<string, number> }
  /** DevTools commands sent to Chromium since the last ask, by method (a function call by its page function). */
  | { type: 'pageCalls'; counts: Record<string, number> }
  | { type: 'restarted'; restoreToConnectedMs: number }
  | { type: 'closed' };

export const SESSION_ID = 'bench';
/** An instant comparable across processes of one machine, with sub-millisecond resolution. */
export const now = () => performance.timeOrigin + performance.now();
