/**
 * download_media through the API (sandbox): the file of an injected media message, base64; what
 * does not fit in one message, what WhatsApp does not have, and what another key's session hides.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { sandboxMediaBytes } from '../../src/engines/sandbox/media';
import type { RequestInput } from '../../src/protocol/events';
import { makeTempRoot, nextEvent, sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'media';
const PEER = '6282284316465';

const { connected, notConnected, gateway } = sandboxGatewayPerTest(SESSION);

type InjectedMedia = NonNullable<RequestInput<'sandbox_inject_message'>['media']>;

async function injectMedia(client: GatewayClient, media: InjectedMedia, text = '') {
  const { message } = await client.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text, media });
  return message;
}

describe('download_media', () => {
  it('answers the file of a received image, base64, as the sandbox makes it', async () => {
    const client = await connected();
    const received = nextEvent(client, 'message_received');
    const message = await injectMedia(client, { type: 'image', size: 3000 }, 'a photo');
    expect(message).toMatchObject({ type: 'image', hasMedia: true, text: 'a photo' });
    expect((await received).message.id).toBe(message.id);
    const media = await client.downloadMedia(SESSION, message.id);
    expect(media).toEqual({
      sessionId: SESSION,
      messageId: message.id,
      mimetype: 'image/jpeg',
      size: 3000,
      data: sandboxMediaBytes(3000).toString('base64'),
    });
    expect(Buffer.from(media.data ?? '', 'base64')[257]).toBe(1);
  });

  it('names a document after its size, and the default size is 1024 bytes', async () => {
    const client = await connected();
    const message = await injectMedia(client, { type: 'document' });
    expect(await client.downloadMedia(SESSION, message.id)).toMatchObject({
      mimetype: 'application/pdf',
      fileName: 'sandbox-1024.pdf',
      size: 1024,
    });
  });

  it('answers a link for a file whose base64 would not fit in one message of MAX_PAYLOAD_BYTES, and media_too_large with as: data', async () => {
    const client = await connected({ MAX_PAYLOAD_BYTES: '8192' });
    // (8192 - 1024) / 4 * 3 = 5376 bytes fit; one more does not.
    const fits = await injectMedia(client, { type: 'video', size: 5376 });
    expect(await client.downloadMedia(SESSION, fits.id)).toMatchObject({ size: 5376, data: sandboxMediaBytes(5376).toString('base64') });
    const tooBig = await injectMedia(client, { type: 'video', size: 5377 });
    await expect(client.downloadMedia(SESSION, tooBig.id, 'data')).rejects.toMatchObject({ code: 'media_too_large' });
    const linked = await client.downloadMedia(SESSION, tooBig.id);
    expect(linked).toMatchObject({ size: 5377, url: expect.stringMatching(/^\/media\/[A-Za-z0-9_-]{32}$/) });
    expect(linked.data).toBeUndefined();
    const response = await fetch(`${gateway().url}${linked.url}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('content-length')).toBe('5377');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(sandboxMediaBytes(5377));
  });

  it('answers a link when asked (as: url), valid for MEDIA_LINK_TTL_MS, an attachment the browser never runs', async () => {
    const client = await connected({ MEDIA_LINK_TTL_MS: '60000' });
    const message = await injectMedia(client, { type: 'document', size: 10 });
    const before = Date.now();
    const linked = await client.downloadMedia(SESSION, message.id, 'url');
    expect(linked.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(linked.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    const response = await fetch(`${gateway().url}${linked.url}`);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename=sandbox-10.pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses media_too_large, for either answer, a file over MEDIA_DOWNLOAD_MAX_BYTES', async () => {
    const client = await connected({ MEDIA_DOWNLOAD_MAX_BYTES: '2000' });
    const message = await injectMedia(client, { type: 'image', size: 2001 });
    await expect(client.downloadMedia(SESSION, message.id, 'url')).rejects.toMatchObject({ code: 'media_too_large' });
    await expect(client.downloadMedia(SESSION, message.id)).rejects.toMatchObject({ code: 'media_too_large' });
  });

  it('answers media_unavailable for a text message and for an id the session never received', async () => {
    const client = await connected();
    const { message } = await client.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text: 'just text' });
    await expect(client.downloadMedia(SESSION, message.id)).rejects.toMatchObject({ code: 'media_unavailable' });
    await expect(client.downloadMedia(SESSION, `false_${PEER}@c.us_NEVER`)).rejects.toMatchObject({ code: 'media_unavailable' });
  });

  it('answers session_not_connected before the session is connected, and invalid_payload without a messageId', async () => {
    const client = await notConnected();
    await expect(client.downloadMedia(SESSION, `false_${PEER}@c.us_X`)).rejects.toMatchObject({ code: 'session_not_connected' });
    await expect(client.request('download_media', { sessionId: SESSION } as never)).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining('messageId'),
    });
    await expect(client.downloadMedia(SESSION, 'not-a-message-id')).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining('messageId'),
    });
  });

  it('answers session_not_found to a key scoped to other sessions, as every request does', async () => {
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    const admin = 'admin-key-0123456789';
    const shop = 'shop-key-0123456789ab';
    await fs.writeFile(keysFile, JSON.stringify({ [shop]: ['shop-1'] }));
    const adminClient = await connected({ API_KEY: admin, API_KEYS_FILE: keysFile }, { root, token: admin });
    const message = await injectMedia(adminClient, { type: 'audio' });
    const shopClient = await gateway().client({ token: shop });
    await expect(shopClient.downloadMedia(SESSION, message.id)).rejects.toMatchObject({ code: 'session_not_found' });
    expect(await adminClient.downloadMedia(SESSION, message.id)).toMatchObject({ mimetype: 'audio/ogg; codecs=opus' });
  });
});

describe('GET /media/<token>', () => {
  const admin = 'admin-key-0123456789';
  const shop = 'shop-key-0123456789ab';

  async function linkedWithKeys() {
    const root = await makeTempRoot();
    const keysFile = path.join(root, 'keys.json');
    await fs.writeFile(keysFile, JSON.stringify({ [shop]: ['shop-1'] }));
    const client = await connected({ API_KEY: admin, API_KEYS_FILE: keysFile, AUTH_FAILURES_MAX: '3' }, { root, token: admin });
    const message = await injectMedia(client, { type: 'image', size: 100 });
    const { url } = await client.downloadMedia(SESSION, message.id, 'url');
    return `${gateway().url}${url}`;
  }

  it('wants the API key of the socket, as a Bearer token or x-api-key', async () => {
    const link = await linkedWithKeys();
    expect((await fetch(link)).status).toBe(401);
    expect((await fetch(link, { headers: { authorization: 'Bearer wrong-key-0123456789' } })).status).toBe(401);
    const bearer = await fetch(link, { headers: { authorization: `Bearer ${admin}` } });
    expect(bearer.status).toBe(200);
    expect(Buffer.from(await bearer.arrayBuffer())).toEqual(sandboxMediaBytes(100));
    expect((await fetch(link, { headers: { 'x-api-key': admin } })).status).toBe(200);
  });

  it('answers 404 to a key scoped to other sessions, as to an unknown token or a path that tries to leave the folder', async () => {
    const link = await linkedWithKeys();
    expect((await fetch(link, { headers: { 'x-api-key': shop } })).status).toBe(404);
    const withKey = { headers: { 'x-api-key': admin } };
    expect((await fetch(`${gateway().url}/media/${'A'.repeat(32)}`, withKey)).status).toBe(404);
    expect((await fetch(`${gateway().url}/media/..%2F..%2Fpackage.json`, withKey)).status).toBe(404);
    expect((await fetch(`${gateway().url}/media/..%2Fsession-${SESSION}`, withKey)).status).toBe(404);
  });

  it('counts wrong keys as failed authentications of the address, then answers 429', async () => {
    const link = await linkedWithKeys();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await fetch(link, { headers: { 'x-api-key': 'wrong-key-0123456789' } })).status).toBe(401);
    }
    expect((await fetch(link, { headers: { 'x-api-key': admin } })).status).toBe(429);
  });
});

describe('MEDIA_AUTO_DOWNLOAD', () => {
  it('keeps the file of an incoming media message, and message_received carries its link', async () => {
    const client = await connected({ MEDIA_AUTO_DOWNLOAD: '1' });
    const received = nextEvent(client, 'message_received');
    const message = await injectMedia(client, { type: 'image', size: 500 });
    const event = await received;
    expect(event.message.id).toBe(message.id);
    expect(event.message.mediaUrl).toMatch(/^\/media\/[A-Za-z0-9_-]{32}$/);
    const response = await fetch(`${gateway().url}${event.message.mediaUrl}`);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(sandboxMediaBytes(500));
  });

  it('leaves out the link for a file over MEDIA_AUTO_MAX_BYTES, which download_media still gives', async () => {
    const client = await connected({ MEDIA_AUTO_DOWNLOAD: '1', MEDIA_AUTO_MAX_BYTES: '1000' });
    const small = nextEvent(client, 'message_received');
    await injectMedia(client, { type: 'audio', size: 1000 });
    expect((await small).message.mediaUrl).toBeDefined();
    const big = nextEvent(client, 'message_received');
    const message = await injectMedia(client, { type: 'audio', size: 1001 });
    expect((await big).message).toMatchObject({ id: message.id, hasMedia: true });
    expect((await big).message.mediaUrl).toBeUndefined();
    expect(await client.downloadMedia(SESSION, message.id)).toMatchObject({ size: 1001 });
  });

  it('is off by default, and never touches text messages', async () => {
    const client = await connected();
    const media = nextEvent(client, 'message_received');
    await injectMedia(client, { type: 'image' });
    expect((await media).message.mediaUrl).toBeUndefined();
    await gateway().shutdown();
    const autoClient = await connected({ MEDIA_AUTO_DOWNLOAD: '1' });
    const text = nextEvent(autoClient, 'message_received');
    await autoClient.request('sandbox_inject_message', { sessionId: SESSION, from: PEER, text: 'just text' });
    expect((await text).message.mediaUrl).toBeUndefined();
  });
});
