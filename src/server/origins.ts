/**
 * CORS_ORIGINS for the socket. A browser always sends `Origin` with a
 * WebSocket upgrade and with cross-origin requests, but CORS headers only stop
 * a page from reading HTTP answers: nothing stops a page from opening a
 * WebSocket. So the handshake itself is refused for an origin that is not
 * listed. A client without `Origin` is not a browser page; the API key
 * governs it.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  return origin === undefined || allowed.includes('*') || allowed.includes(origin);
}
