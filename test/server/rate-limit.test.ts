/**
 * Rate limits per connection, per API key and per address (issue 11, break 10): RateLimits on its own
 * on a given clock, then through the gateway, which runs in this process with only Date faked (the
 * sockets are real, and the tests say when time passes).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { handshake } from '../support/raw-clients';
import { startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';
import { RateLimits, STRIKE_WINDOW_MS, type RateLimitOptions } from '../../src/server/rate-limit';

const KEY = 'rate-key-0123456789abcdef';
const OTHER_KEY = 'rate-other-key-0123456789abcdef';

interface Answer {
  ok: boolean;
  error?: { code: string; message: string };
}

/** Emits `count` events at once; resolves with their answers, or with those that came before a disconnect. */
function burst(client: GatewayClient, count: number): Promise<Answer[]> {
  return new Promise((resolve) => {
    const answers: Answer[] = [];
    const done = () => {
      client.socket.off('disconnect', done);
      resolve(answers);
    };
    client.socket.once('disconnect', done);
    for (let i = 0; i < count; i += 1) {
      client.socket.emit('get_active_sessions', (answer) => {
        answers.push(answer as Answer);
        if (answers.length === count) done();
      });
    }
  });
}

const refusals = (answers: Answer[]) => answers.filter((a) => a.error?.code === 'rate_limited').map((a) => a.error!.message);

const OPTIONS: RateLimitOptions = {
  connection: { perSecond: 10, burst: 5 },
  key: { perSecond: 20, burst: 8 },
  address: { perSecond: 40, burst: 12 },
  strikes: 3,
};

/** Takes `count` events at `now`; the verdicts, shortened. */
function take(limiter: ReturnType<RateLimits['forConnection']>, count: number, now: number): string[] {
  return Array.from({ length: count }, () => {
    const verdict = limiter.take(now);
    return verdict.verdict === 'refuse' ? `refuse:${verdict.scope}` : verdict.verdict;
  });
}

describe('RateLimits', () => {
  it('lets a connection use its burst, then refuses until its bucket refills', () => {
    const limits = new RateLimits(OPTIONS);
    const connection = limits.forConnection('key-a', '10.0.0.1', 0);
    expect(take(connection, 6, 0)).toEqual(['allow', 'allow', 'allow', 'allow', 'allow', 'refuse:connection']);
    expect(take(connection, 1, 100)).toEqual(['allow']); // 10 per second: one token per 100 ms
  });

  it('shares one bucket among the connections of a key, and another among those of an address', () => {
    const limits = new RateLimits(OPTIONS);
    const first = limits.forConnection('key-a', '10.0.0.1', 0);
    const second = limits.forConnection('key-a', '10.0.0.2', 0);
    expect(take(first, 5, 0)).toEqual(Array(5).fill('allow'));
    expect(take(second, 4, 0)).toEqual(['allow', 'allow', 'allow', 'refuse:key']); // 8 for the key in all

    const sameAddress = [1, 2, 3].map((n) => limits.forConnection(`key-${n}`, '10.0.0.9', 0));
    const verdicts = sameAddress.flatMap((connection) => take(connection, 5, 0));
    expect(verdicts.filter((v) => v === 'allow')).toHaveLength(12); // the address's burst
    expect(verdicts.at(-1)).toBe('refuse:address');
  });

  it('without API keys a connection is limited by itself and its address only', () => {
    const limits = new RateLimits(OPTIONS);
    const open = [limits.forConnection(undefined, '10.0.0.1', 0), limits.forConnection(undefined, '10.0.0.1', 0)];
    expect(open.flatMap((connection) => take(connection, 5, 0))).toEqual(Array(10).fill('allow'));
  });

  it('closes a connection with more than `strikes` refusals within the window, not one that refuses slowly', () => {
    const limits = new RateLimits(OPTIONS);
    const flooder = limits.forConnection('key-a', '10.0.0.1', 0);
    expect(take(flooder, 9, 0)).toEqual([...Array(5).fill('allow'), ...Array(3).fill('refuse:connection'), 'disconnect']);

    const slow = limits.forConnection('key-b', '10.0.0.2', 0);
    take(slow, 5, 0);
    for (let window = 0; window < 5; window += 1) {
      // Three refusals per window: never more than `strikes` within one.
      expect(take(slow, 3, window * STRIKE_WINDOW_MS)).not.toContain('disconnect');
    }
  });

  it('counts a handshake against its address, and makes a penalised address owe a full burst', () => {
    const limits = new RateLimits(OPTIONS);
    const handshakes = Array.from({ length: 13 }, () => limits.admitHandshake('10.0.0.1', 0));
    expect(handshakes.filter(Boolean)).toHaveLength(12);
    expect(limits.admitHandshake('10.0.0.2', 0)).toBe(true); // other addresses are not affected

    limits.penalize('10.0.0.2', 0);
    expect(limits.admitHandshake('10.0.0.2', 0)).toBe(false);
    expect(limits.admitHandshake('10.0.0.2', 300)).toBe(false); // 12 tokens owed at 40/s: 300 ms pays back 12
    expect(limits.admitHandshake('10.0.0.2', 330)).toBe(true);
  });
});

describe('rate limits', () => {
  let gateway: TestGateway | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(async () => {
    await gateway?.shutdown();
    gateway = undefined;
    vi.useRealTimers();
  });

  it('closes a flood that gets a token back now and then: 1,000 events/s against 50/s', async () => {
    gateway = await startSandboxGateway({ RATE_LIMIT_PER_SEC: '50', RATE_LIMIT_BURST: '100', RATE_LIMIT_STRIKES: '200' });
    const client = await gateway.client();
    let answered = 0;
    // 10 events every 10 ms for up to 2 s: a token comes back every 20 ms.
    for (let tick = 0; tick < 200 && client.socket.connected; tick += 1) {
      answered += (await burst(client, 10)).length;
      vi.advanceTimersByTime(10);
    }
    expect(client.socket.connected).toBe(false);
    expect(answered).toBeLessThan(400);
    // Its address owes a full burst: no reconnecting at once to flood again.
    expect(await handshake(gateway.url, 'polling', {})).toMatch(/^403 .*too many connections from this address/);
    vi.advanceTimersByTime(2100);
    expect(await handshake(gateway.url, 'polling', {})).toMatch(/^200 /);
  });

  it('holds per API key across its connections', async () => {
    gateway = await startSandboxGateway({ API_KEY: `${KEY},${OTHER_KEY}`, RATE_LIMIT_KEY_PER_SEC: '5' });
    const first = await gateway.client({ token: KEY });
    const second = await gateway.client({ token: KEY });
    const other = await gateway.client({ token: OTHER_KEY });
    expect(refusals(await burst(first, 10))).toEqual([]);
    expect(refusals(await burst(second, 1))).toEqual(['too many events for this API key across its connections; slow down']);
    expect(refusals(await burst(other, 1))).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(refusals(await burst(second, 1))).toEqual([]);
  });

  it('holds per address across connections and reconnects, and counts handshakes', async () => {
    gateway = await startSandboxGateway({ RATE_LIMIT_IP_PER_SEC: '5' });
    const first = await gateway.client(); // 1 of the address's 10 tokens
    expect(refusals(await burst(first, 8))).toEqual([]);
    first.close();
    const second = await gateway.client(); // the 10th
    expect(refusals(await burst(second, 1))).toEqual(['too many events from this address across its connections; slow down']);
    expect(await handshake(gateway.url, 'polling', {})).toMatch(/^403 .*too many connections from this address/);
    vi.advanceTimersByTime(1000);
    expect(refusals(await burst(second, 1))).toEqual([]);
  });
});
