/** The Docker healthcheck: it must ask where a published port arrives, not 127.0.0.1. */
import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHealthy, publishedAddress } from '../src/healthcheck';
import { runNode } from './support/gateway-process';
import { startSandboxGateway, type TestGateway } from './support/sandbox-gateway';

const entry = (address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo => {
  const common = { address, internal, mac: '00:00:00:00:00:00', netmask: '', cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
};

describe('publishedAddress', () => {
  it("picks the container's own IPv4 address over loopback and IPv6", () => {
    const interfaces = {
      lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
      eth0: [entry('fe80::1', 'IPv6', false), entry('172.17.0.2', 'IPv4', false)],
    };
    expect(publishedAddress(interfaces)).toBe('172.17.0.2');
  });

  it('falls back to 127.0.0.1 without any other interface (--network none)', () => {
    expect(publishedAddress({ lo: [entry('127.0.0.1', 'IPv4', true)] })).toBe('127.0.0.1');
  });
});

describe('isHealthy', () => {
  let gateway: TestGateway;
  let port: number;

  beforeAll(async () => {
    gateway = await startSandboxGateway({ HOST: '127.0.0.1' });
    port = Number(new URL(gateway.url).port);
  });
  afterAll(() => gateway.shutdown());

  it('finds a gateway bound to 127.0.0.1 only at 127.0.0.1: any other address, as a published port, is refused', async () => {
    expect(await isHealthy('127.0.0.1', port)).toBe(true);
    // 127.0.0.2 is another address of this machine, as the container's interface is to a published port.
    expect(await isHealthy('127.0.0.2', port)).toBe(false);
  });

  it('exits 1 as a script when nothing answers on PORT', async () => {
    const probe = runNode(['--import', 'tsx', 'src/healthcheck.ts'], { PORT: '1' });
    expect(await probe.exited).toBe(1);
  });
});
