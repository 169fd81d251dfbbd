/** The sandbox playing the other side. */
import * as s from '../schemas';
import type { RequestSpecs } from './spec';

export const simulationRequests = {
  sandbox_inject_message: {
    payload: s.injectMessageSchema,
    success: 'message_received',
    error: 'session_error',
    summary: 'Sandbox engine only: deliver an incoming message as if someone had written.',
  },
  sandbox_inject_own_message: {
    payload: s.injectOwnMessageSchema,
    success: 'own_message',
    error: 'session_error',
    summary: 'Sandbox engine only: a message this account sends from its phone, reported as own_message.',
  },
  sandbox_edit_message: {
    payload: s.simulateEditSchema,
    success: 'message_edited',
    error: 'session_error',
    summary: 'Sandbox engine only: its sender edits a message the sandbox knows (received, own or sent).',
  },
  sandbox_revoke_message: {
    payload: s.simulateRevokeSchema,
    success: 'message_revoked',
    error: 'session_error',
    summary: 'Sandbox engine only: its sender deletes a message for everyone.',
  },
  sandbox_react: {
    payload: s.simulateReactionSchema,
    success: 'message_reaction',
    error: 'session_error',
    summary: 'Sandbox engine only: someone reacts to a message.',
  },
  sandbox_vote: {
    payload: s.simulateVoteSchema,
    success: 'poll_vote',
    error: 'session_error',
    summary: 'Sandbox engine only: someone votes in a poll the sandbox knows.',
  },
  sandbox_call: {
    payload: s.simulateCallSchema,
    success: 'call_received',
    error: 'session_error',
    summary: 'Sandbox engine only: someone calls this account.',
  },
} as const satisfies RequestSpecs;
