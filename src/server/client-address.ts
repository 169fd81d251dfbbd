/**
 * The address per-address limits count against: the TCP peer, IPv4-mapped
 * IPv6 as plain IPv4, and IPv6 by its /64 (one host usually owns a whole
 * /64, so counting single IPv6 addresses would let it pick a fresh one for
 * every try). Forwarded-for headers are not trusted: behind a reverse proxy
 * every client shares the proxy's address (see docs/security.md).
 */
import ipaddr from 'ipaddr.js';

export function clientAddress(remoteAddress: string | undefined): string {
  if (!remoteAddress || !ipaddr.isValid(remoteAddress)) return remoteAddress ?? 'unknown';
  const address = ipaddr.process(remoteAddress);
  if (address instanceof ipaddr.IPv4) return address.toString();
  const prefix = address.parts.slice(0, 4);
  return `${new ipaddr.IPv6([...prefix, 0, 0, 0, 0]).toString()}/64`;
}
