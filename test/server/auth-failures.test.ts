import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger';
import { AUTH_FAILURE_WINDOW_MS, AuthFailures } from '../../src/server/auth-failures';

describe('AuthFailures', () => {
  const setup = () => {
    const clock = { now: 1_000_000 };
    const failures = new AuthFailures({ maxFailures: 3, blockMs: 5000 }, silentLogger, () => clock.now);
    const fail = (address = '10.0.0.1') => failures.record(address, { via: 'websocket', reason: 'wrong key' });
    return { clock, failures, fail };
  };

  it('blocks an address at the last allowed failure within the window, and only that address', () => {
    const { failures, fail } = setup();
    fail();
    fail();
    expect(failures.isBlocked('10.0.0.1')).toBe(false);
    fail();
    expect(failures.isBlocked('10.0.0.1')).toBe(true);
    expect(failures.isBlocked('10.0.0.2')).toBe(false);
  });

  it('forgets failures of an earlier window', () => {
    const { clock, failures, fail } = setup();
    fail();
    fail();
    clock.now += AUTH_FAILURE_WINDOW_MS;
    fail();
    fail();
    expect(failures.isBlocked('10.0.0.1')).toBe(false);
  });

  it('lifts the block after AUTH_BLOCK_MS', () => {
    const { clock, failures, fail } = setup();
    for (let i = 0; i < 3; i += 1) fail();
    clock.now += 4999;
    expect(failures.isBlocked('10.0.0.1')).toBe(true);
    clock.now += 1;
    expect(failures.isBlocked('10.0.0.1')).toBe(false);
  });
});
