/** https media URLs: address checks after DNS, redirects re-checked, size and time caps. */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { downloadMedia, isPublicAddress } from '../../src/media/remote-url';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '::1',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));
  it.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])('accepts %s', (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );
});

describe('downloadMedia', () => {
  let server: https.Server;
  let base: string;
  /** Answers every request with a status line, then one header line every 50 ms, never ending the headers. */
  let trickler: tls.Server;
  let trickleBase: string;
  const trickling = new Set<Socket>();
  let ca: string;
  const onlyLoopback = (address: string) => address === '127.0.0.1';

  beforeAll(async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'media-url-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        `${dir}/key.pem`,
        '-out',
        `${dir}/cert.pem`,
      ],
      { stdio: 'ignore' },
    );
    ca = await fs.readFile(`${dir}/cert.pem`, 'utf8');
    server = https.createServer({ key: await fs.readFile(`${dir}/key.pem`), cert: ca }, (req, res) => {
      const hops = Number(/^\/hop\/(\d+)/.exec(req.url ?? '')?.[1] ?? -1);
      if (hops > 0) return res.writeHead(302, { location: `/hop/${hops - 1}` }).end();
      if (hops === 0 || req.url === '/photo.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end('jpeg bytes');
      if (req.url === '/to-metadata') return res.writeHead(302, { location: 'https://169.254.169.254/latest' }).end();
      if (req.url === '/big') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(2000));
      if (req.url === '/exe') return res.writeHead(200, { 'content-type': 'application/x-msdownload' }).end('MZ');
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/drip') return void res.writeHead(200, { 'content-type': 'image/png' }).write('first bytes, never the rest');
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://localhost:${(server.address() as AddressInfo).port}`;

    trickler = tls.createServer({ key: await fs.readFile(`${dir}/key.pem`), cert: ca }, (socket) => {
      trickling.add(socket);
      socket.on('error', () => undefined);
      socket.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => socket.write(`x-trickle-${Date.now()}: 1\r\n`), 50);
      socket.on('close', () => {
        clearInterval(timer);
        trickling.delete(socket);
      });
    });
    await new Promise<void>((resolve) => trickler.listen(0, '127.0.0.1', resolve));
    trickleBase = `https://localhost:${(trickler.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of trickling) socket.destroy();
    await new Promise((resolve) => trickler.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  const fetchAs = (url: string, type: 'image' | 'document' = 'image', extra = {}) =>
    downloadMedia(url, type, { timeoutMs: 1000, limits: {}, isAllowedAddress: onlyLoopback, ca, ...extra });

  it('refuses a URL that resolves to 127.0.0.1 under the default policy', async () => {
    await expect(downloadMedia(`${base}/photo.jpg`, 'image', { timeoutMs: 1000, limits: {}, ca })).rejects.toMatchObject({
      code: 'media_forbidden',
    });
    await expect(downloadMedia(`https://127.0.0.1:1/x.jpg`, 'image', { timeoutMs: 1000, limits: {} })).rejects.toMatchObject({
      code: 'media_forbidden',
    });
    await expect(downloadMedia(`https://[::1]:1/x.jpg`, 'image', { timeoutMs: 1000, limits: {} })).rejects.toMatchObject({
      code: 'media_forbidden',
    });
  });

  it('downloads with the MIME type from the response', async () => {
    const file = await fetchAs(`${base}/photo.jpg`);
    expect(file).toMatchObject({ mimetype: 'image/jpeg', fileName: 'photo.jpg', size: 10 });
    expect((await file.load()).toString()).toBe('jpeg bytes');
  });

  it('follows up to 3 redirects, re-checking each target', async () => {
    await expect(fetchAs(`${base}/hop/3`)).resolves.toMatchObject({ size: 10 });
    await expect(fetchAs(`${base}/hop/4`)).rejects.toMatchObject({
      code: 'media_download_failed',
      message: expect.stringContaining('redirects'),
    });
    await expect(fetchAs(`${base}/to-metadata`)).rejects.toMatchObject({ code: 'media_forbidden' });
  });

  it('refuses plain http, credentials, oversize bodies, wrong types and slow servers', async () => {
    await expect(fetchAs(`http://localhost/photo.jpg`)).rejects.toMatchObject({ code: 'media_forbidden' });
    await expect(fetchAs(`https://user:pw@localhost/photo.jpg`)).rejects.toMatchObject({ code: 'media_forbidden' });
    await expect(fetchAs(`${base}/big`, 'image', { limits: { maxBytes: 1000 } })).rejects.toMatchObject({ code: 'media_too_large' });
    await expect(fetchAs(`${base}/exe`)).rejects.toMatchObject({ code: 'unsupported_type' });
    await expect(fetchAs(`${base}/slow`, 'document', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'media_download_failed' });
    await expect(fetchAs(`${base}/missing`)).rejects.toMatchObject({
      code: 'media_download_failed',
      message: expect.stringContaining('404'),
    });
  });

  it('counts the time limit over the whole exchange, also while the headers trickle in', async () => {
    await expect(fetchAs(`${trickleBase}/photo.jpg`, 'image', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'media_download_failed',
      message: expect.stringContaining('within 300 ms'),
    });
    await vi.waitFor(() => expect(trickling.size).toBe(0));
    await expect(fetchAs(`${base}/drip`, 'image', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'media_download_failed',
      message: expect.stringContaining('within 300 ms'),
    });
  });
});
