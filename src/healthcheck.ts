/**
 * The Docker HEALTHCHECK (`node dist/src/healthcheck.js`): `GET /healthz` on PORT at the address a
 * published port forwards to, the container's own interface. Asking 127.0.0.1 instead would say
 * healthy while a gateway bound to HOST=127.0.0.1 is out of reach of the published port. Exits 0
 * when the gateway answers 200, 1 otherwise.
 */
import os from 'node:os';
import { loadConfig } from './config';

const TIMEOUT_MS = 4000;

/** The first IPv4 address that is not loopback; 127.0.0.1 when there is none (`--network none`). */
export function publishedAddress(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): string {
  const external = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .find((entry) => entry.family === 'IPv4' && !entry.internal);
  return external?.address ?? '127.0.0.1';
}

export async function isHealthy(address: string, port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${address}:${port}/healthz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return response.ok;
  } catch {
    return false;
  }
}

if (require.main === module) {
  void isHealthy(publishedAddress(), loadConfig().PORT).then((healthy) => process.exit(healthy ? 0 : 1));
}
