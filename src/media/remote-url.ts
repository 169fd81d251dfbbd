/**
 * An `https://` media URL (MEDIA_ALLOW_URLS=1). Every address a host name
 * resolves to is checked at connect time (so DNS cannot swap it afterwards),
 * redirects are followed by hand and re-checked, and size and time are capped:
 * one deadline covers the whole exchange, from the DNS lookup of the first
 * request to the last byte of the last.
 */
import dns from 'node:dns';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import mime from 'mime-types';
import type { MediaFile } from '../engines/capabilities/messaging';
import { GatewayError } from '../protocol/errors';
import { assertMimeFits, assertSize, maxBytesFor, safeFileName, type MediaLimits, type MediaType } from './media-rules';

const MAX_REDIRECTS = 3;

export interface UrlDownloadOptions {
  timeoutMs: number;
  limits: MediaLimits;
  /** Which resolved addresses may be contacted; default: public unicast only. */
  isAllowedAddress?: (address: string) => boolean;
  /** Extra trusted certificates (tests). */
  ca?: string;
}

/** Public unicast addresses only: no loopback, private, link-local (cloud metadata), CGNAT, multicast or reserved ranges. */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}

export async function downloadMedia(url: string, type: MediaType, options: UrlDownloadOptions, fileName?: string): Promise<MediaFile> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(failed(`no complete answer within ${options.timeoutMs} ms`)), options.timeoutMs);
  try {
    return await download(url, type, options, deadline.signal, fileName);
  } finally {
    clearTimeout(timer);
  }
}

async function download(
  url: string,
  type: MediaType,
  options: UrlDownloadOptions,
  deadline: AbortSignal,
  fileName?: string,
): Promise<MediaFile> {
  const isAllowed = options.isAllowedAddress ?? isPublicAddress;
  let current = parseHttpsUrl(url);
  for (let redirects = 0; ; redirects += 1) {
    const response = await get(current, isAllowed, deadline, options.ca);
    const location = response.headers.location;
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS) throw failed(`more than ${MAX_REDIRECTS} redirects`);
      current = parseHttpsUrl(new URL(location, current).toString());
      continue;
    }
    if (response.statusCode !== 200) {
      response.resume();
      throw failed(`the server answered HTTP ${response.statusCode}`);
    }
    const data = await readCapped(response, maxBytesFor(type, options.limits), deadline);
    const mimetype = contentType(response, current);
    assertMimeFits(mimetype, type, 'the media URL');
    assertSize(data.length, type, options.limits, 'the media URL');
    return { mimetype, fileName: safeFileName(fileName ?? defaultName(current, mimetype)), size: data.length, load: async () => data };
  }
}

function parseHttpsUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GatewayError('invalid_payload', 'media: not a valid URL');
  }
  if (url.protocol !== 'https:') throw new GatewayError('media_forbidden', 'only https:// media URLs are allowed');
  if (url.username || url.password) throw new GatewayError('media_forbidden', 'media URLs may not carry credentials');
  return url;
}

/** Resolves with the response headers; the deadline's abort destroys the request, wherever it is. */
function get(url: URL, isAllowed: (address: string) => boolean, deadline: AbortSignal, ca?: string): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && !isAllowed(host)) return Promise.reject(forbiddenAddress());
  return new Promise((resolve, reject) => {
    const request = https.get(url, { lookup: checkedLookup(isAllowed), signal: deadline, ...(ca && { ca }) }, resolve);
    request.on('error', (error) => reject(asDownloadError(error, deadline)));
  });
}

/** dns.lookup that refuses the whole host when any of its addresses is not allowed. */
function checkedLookup(isAllowed: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (!addresses.length || addresses.some((entry) => !isAllowed(entry.address))) return callback(forbiddenAddress(), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

function readCapped(response: IncomingMessage, maxBytes: number, deadline: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (declared > maxBytes) {
    response.destroy();
    return Promise.reject(new GatewayError('media_too_large', `the media URL is ${declared} bytes; at most ${maxBytes} allowed`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const abort = () => response.destroy(deadline.reason);
    deadline.addEventListener('abort', abort, { once: true });
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) response.destroy(new GatewayError('media_too_large', `the media URL sent more than ${maxBytes} bytes`));
      else chunks.push(chunk);
    });
    response.on('end', () => {
      deadline.removeEventListener('abort', abort);
      resolve(Buffer.concat(chunks));
    });
    response.on('error', (error) => {
      deadline.removeEventListener('abort', abort);
      reject(asDownloadError(error, deadline));
    });
  });
}

function contentType(response: IncomingMessage, url: URL): string {
  const header = response.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (header && header !== 'application/octet-stream') return header;
  return mime.lookup(url.pathname) || 'application/octet-stream';
}

function defaultName(url: URL, mimetype: string): string {
  const base = path.posix.basename(url.pathname);
  if (!base || base === '/') return `file.${mime.extension(mimetype) || 'bin'}`;
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

/** The deadline's own error once it passed (whatever the socket reported), a GatewayError as is, anything else as a failure. */
function asDownloadError(error: Error, deadline: AbortSignal): GatewayError {
  const cause = deadline.aborted ? deadline.reason : error;
  return cause instanceof GatewayError ? cause : failed(error.message);
}

function failed(reason: string): GatewayError {
  return new GatewayError('media_download_failed', `the media URL could not be downloaded: ${reason}`);
}

function forbiddenAddress(): GatewayError {
  return new GatewayError('media_forbidden', 'the media URL points at a loopback, private, link-local or reserved address');
}
