/**
 * GET /media/<token>: the files download_media put behind short-lived links, for the same API keys
 * as the socket (`Authorization: Bearer <key>` or `x-api-key`), each seeing only its sessions: a
 * link of another key's session answers 404, like an expired or unknown one. A wrong key counts as
 * a failed authentication of the address. Files are always attachments with a sandboxing policy,
 * so what a contact sent is never run as a page of the gateway's origin.
 */
import { open } from 'node:fs/promises';
import type express from 'express';
import type { MediaLinks, MediaLinkFile } from '../media/media-links';
import { MEDIA_LINK_PATH } from '../sessions/requests/media';
import { isErrnoException } from '../util/errno';
import { canUse, type Access, type ApiKeys } from './api-keys';
import type { AuthFailures } from './auth-failures';
import { clientAddress } from './client-address';

interface MediaRouteOptions {
  links: MediaLinks;
  apiKeys: ApiKeys;
  authFailures: AuthFailures;
}

export function serveMediaLinks(app: express.Express, options: MediaRouteOptions): void {
  app.get(`${MEDIA_LINK_PATH}:token`, async (req, res) => {
    const access = authorize(req, res, options);
    if (!access) return;
    const file = options.links.find(req.params.token);
    if (!file || !canUse(access, file.sessionId)) {
      res.status(404).json({ error: 'no such media link (it may have expired)' });
      return;
    }
    await streamFile(file, res);
  });
}

/** The caller's access, or null once it was answered 401/429. */
function authorize(req: express.Request, res: express.Response, { apiKeys, authFailures }: MediaRouteOptions): Access | null {
  if (!apiKeys.required) return apiKeys.authenticate(undefined);
  const address = clientAddress(req.socket.remoteAddress);
  if (authFailures.isBlocked(address)) {
    res.status(429).json({ error: 'too many failed authentications from this address; try again later' });
    return null;
  }
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? req.get('x-api-key');
  const access = token === undefined ? null : apiKeys.authenticate(token);
  if (!access) {
    authFailures.record(address, { via: 'media', reason: token === undefined ? 'no key' : 'wrong key' });
    res.status(401).json({ error: 'unauthorized' });
  }
  return access;
}

/** Opened first, so a link expiring mid-transfer (its file deleted) still sends the whole file. */
async function streamFile(file: MediaLinkFile, res: express.Response): Promise<void> {
  const handle = await open(file.path, 'r').catch((error: unknown) => {
    if (isErrnoException(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (!handle) {
    res.status(404).json({ error: 'no such media link (it may have expired)' });
    return;
  }
  res.attachment(file.fileName ?? 'media');
  res.set({
    'Content-Type': file.mimetype,
    'Content-Length': String(file.size),
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
  });
  const stream = handle.createReadStream();
  stream.once('error', () => res.destroy());
  stream.pipe(res);
}
