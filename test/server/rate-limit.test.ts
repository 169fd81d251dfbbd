/**
 * Rate limits per connection, per API key and per address (issue 11, break 10). The gateway runs
 * in this process with only Date faked: the sockets are real, and the tests say when time passes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { handshake } from '../support/raw-clients';
import { startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

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
