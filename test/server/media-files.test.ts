/**
 * Media files from MEDIA_DIR through the API (sandbox): opened when the request arrives, read when
 * the message goes out, and closed whatever happens to the message.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { openFilesUnder } from '../support/open-files';
import { collect, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

const PEER = '6282284316465';

describe('media files from MEDIA_DIR (sandbox)', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  async function connected(env: Record<string, string>, sessionId = 'm') {
    gateway = await startSandboxGateway({ SANDBOX_ECHO: '0', ...env });
    client = await gateway.client();
    const ready = nextEvent(client, 'session_connected');
    await client.startSession(sessionId);
    await ready;
  }
  const document = (media: string, sessionId = 'm') => client.sendMessage({ sessionId, to: PEER, type: 'document', media });
  const outcome = (send: Promise<unknown>) =>
    send.then(
      () => 'sent',
      (error: { code: string }) => error.code,
    );
  const openMedia = () => openFilesUnder(gateway.config.mediaDir);
  afterEach(() => gateway?.shutdown());

  it('refuses a file that grew past the cap while its message waited, and sends nothing', async () => {
    await connected({ SEND_MIN_INTERVAL_MS: '300', MEDIA_MAX_BYTES: String(64 * 1024) });
    const file = path.join(gateway.config.mediaDir, 'grow.pdf');
    await fs.writeFile(file, Buffer.alloc(1024));
    const sent = collect(client, 'message_sent');
    await client.sendMessage({ sessionId: 'm', to: PEER, message: 'first' });
    const queued = document('grow.pdf');
    await vi.waitFor(() => expect(openMedia()).toEqual([file]));
    await fs.appendFile(file, Buffer.alloc(3 * 1024 * 1024));
    await expect(queued).rejects.toMatchObject({ code: 'media_too_large' });
    expect(sent.map((event) => event.type)).toEqual(['text']);
    await vi.waitFor(() => expect(openMedia()).toEqual([]));
  });

  it('closes the file of every message: sent, refused with queue_full, or cancelled by stop_session', async () => {
    await connected({ SEND_MIN_INTERVAL_MS: '300', SEND_QUEUE_MAX: '2' });
    await client.sendMessage({ sessionId: 'm', to: PEER, message: 'first' });
    const waiting = [document('report.pdf'), document('photo.jpg')].map(outcome);
    await vi.waitFor(() => expect(openMedia()).toHaveLength(2));
    expect(await outcome(document('clip.mp4'))).toBe('queue_full');
    // The refused file is closed without waiting (a close can wait on a read that hangs): soon, not at once.
    await vi.waitFor(() => expect(openMedia()).toHaveLength(2));
    await client.stopSession('m');
    expect(await Promise.all(waiting)).toEqual(['session_stopped', 'session_stopped']);
    await vi.waitFor(() => expect(openMedia()).toEqual([]));

    const ready = nextEvent(client, 'session_connected');
    await client.startSession('m');
    await ready;
    expect(await outcome(document('report.pdf'))).toBe('sent');
    await vi.waitFor(() => expect(openMedia()).toEqual([]));
  });

  it('closes the file when the session is not connected', async () => {
    gateway = await startSandboxGateway({ SANDBOX_SCAN_MS: '60000' });
    client = await gateway.client();
    const qr = nextEvent(client, 'qr_code');
    await client.startSession('m');
    await qr;
    expect(await outcome(document('report.pdf'))).toBe('session_not_connected');
    await vi.waitFor(() => expect(openMedia()).toEqual([]));
  });
});
