/** An EngineListener whose every method is a mock, for engine tests to assert on what was reported. */
import { vi, type Mock } from 'vitest';
import type { EngineListener } from '../../src/engines/engine';

export type RecordingListener = { [K in keyof EngineListener]: Mock<EngineListener[K]> };

export function recordingListener(): RecordingListener {
  return {
    onQr: vi.fn(),
    onPairingCode: vi.fn(),
    onConnected: vi.fn(),
    onDisconnected: vi.fn(),
    onMessage: vi.fn(),
    onAck: vi.fn(),
    onOwnMessage: vi.fn(),
    onMessageEdited: vi.fn(),
    onMessageRevoked: vi.fn(),
    onReaction: vi.fn(),
    onPollVote: vi.fn(),
    onCall: vi.fn(),
    onMembershipRequest: vi.fn(),
    // groups (issue 15)
    onGroupParticipantsChanged: vi.fn(),
    onGroupUpdated: vi.fn(),
  };
}
