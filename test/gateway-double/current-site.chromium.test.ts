/**
 * The harsher habits of the WhatsApp Web of 2026, through the Socket.IO API with the real engine: logins
 * whose `ready` never comes, the phone logout that arrives as logout_from_bridge, numbers WhatsApp Web
 * has no LID for, and sends the library cannot read back. Each case runs its own gateway and double.
 */
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage, lidOf, logoutFromBridge, sentMessages, type DoubleOptions } from '../../double/harness';
import { makeTempRoot } from '../support/sandbox-gateway';
import { expectNoChromium, killChromium } from '../../double/processes';
import {
  hasBrowser,
  pairAndPersist,
  phone,
  startAndPair,
  startDoubleGateway,
  type DoubleGateway,
  type EventLog,
} from '../../double/gateway';
import { waitUntil } from './support';

const SESSION = 'today';
const CONTACT = '6281111111111';
const READY_TIMEOUT_MS = 4000;

describe.skipIf(!hasBrowser)('the WhatsApp Web of today, through the gateway and the real engine', { timeout: 60_000 }, () => {
  let root: string;
  let gw: DoubleGateway | undefined;
  let log: EventLog;

  const start = async (double: DoubleOptions, env: Record<string, string> = {}) => {
    gw = await startDoubleGateway(
      root,
      { WWEBJS_READY_TIMEOUT_MS: String(READY_TIMEOUT_MS), RESTART_BASE_DELAY_MS: '100', ...env },
      { profile: '2026-07', ...double },
    );
    log = await gw.client();
  };

  beforeEach(async () => {
    root = await makeTempRoot();
  });

  afterEach(async () => {
    await gw?.close();
    gw = undefined;
    await expectNoChromium(path.join(root, 'data')).catch(() => {}); // a killed browser takes a moment to go
    const leftovers = killChromium(path.join(root, 'data'));
    await fs.rm(root, { recursive: true, force: true });
    expect(leftovers).toBe(0);
  });

  it('a restore that finished syncing before the library listened still connects, without a restart', async () => {
    await start({ syncBeforeListen: true });
    await pairAndPersist(gw!, log, SESSION); // the restore inside never gets `ready` from the library by itself
    const warned = gw!.logs.find((line) => line.msg.startsWith('WhatsApp Web finished syncing without whatsapp-web.js noticing'));
    expect(warned).toMatchObject({ sessionId: SESSION });
    expect(log.since('session_disconnected', SESSION).map((d) => d.reason)).toEqual(['stopped']);
    await log.client.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'after a quiet restore' });
  });

  it('a page that reloads right after the scan and syncs before the library listens: connected, not stuck in qr', async () => {
    await start({ syncBeforeListen: true, reloadAfterScanMs: 0 });
    await startAndPair(gw!, log, SESSION);
    expect(log.statuses(SESSION)).toEqual(['starting', 'qr', 'connected']); // reconciled, not timed out and restarted
    expect(log.since('session_disconnected', SESSION)).toEqual([]);
  });

  it(`a login that never becomes ready: ready_timeout after WWEBJS_READY_TIMEOUT_MS, restarts, then failed`, async () => {
    await start({ neverSync: true, auto: true, scanAfterMs: 100 }, { RESTART_MAX_ATTEMPTS: '1' });
    const began = Date.now();
    await log.client.startSession(SESSION);
    const first = await log.next('session_disconnected', (d) => d.sessionId === SESSION, { timeoutMs: READY_TIMEOUT_MS + 10_000 });
    expect(first.reason).toBe('ready_timeout');
    expect(first.at - began).toBeGreaterThanOrEqual(READY_TIMEOUT_MS);
    const last = await log.next('session_status', (s) => s.sessionId === SESSION && s.status === 'failed', {
      timeoutMs: 2 * READY_TIMEOUT_MS + 10_000,
    });
    expect(log.statuses(SESSION)).toEqual(['starting', 'qr', 'reconnecting', 'starting', 'failed']);
    expect(last.at - began).toBeLessThan(2 * READY_TIMEOUT_MS + 10_000);
    await expectNoChromium(gw!.dataDir);
  });

  it('a phone logout that arrives as logout_from_bridge ends the session logged_out and deletes the stored login', async () => {
    await start({});
    await startAndPair(gw!, log, SESSION);
    const device = await phone(gw!.dataDir, SESSION);
    const after = log.mark();
    await logoutFromBridge(device.page);
    await device.disconnect();
    const ended = await log.next('session_disconnected', (d) => d.sessionId === SESSION, { after });
    expect(ended.reason).toBe('logged_out');
    expect(log.statuses(SESSION, after)).toEqual(['disconnected']);
    await waitUntil('the stored login to go', () => !existsSync(path.join(gw!.dataDir, `session-${SESSION}`)), 15_000);
    await expectNoChromium(gw!.dataDir, SESSION, 15_000);
  });

  it('a sender who hides their number arrives as their LID; a reply to the LID chat goes out', async () => {
    await start({ profile: '2026-07-lid' });
    await startAndPair(gw!, log, SESSION);
    const device = await phone(gw!.dataDir, SESSION);
    const hidden = '6282222222222';
    const id = await deliverMessage(device.page, { from: `${hidden}@c.us`, body: 'who am I?', hidePhone: true });
    const lid = await lidOf(device.page, hidden);
    const incoming = await log.next('message_received', (m) => m.message.id === id);
    expect(incoming.message).toMatchObject({ from: lid, fromLid: lid, chatId: lid, key: { remoteJid: lid } });
    const reply = await log.client.sendMessage({ sessionId: SESSION, to: incoming.message.chatId, message: 'a stranger' });
    expect(reply.chatId).toBe(lid);
    expect((await sentMessages(device.page)).at(-1)).toMatchObject({ id: reply.messageId, to: lid, body: 'a stranger' });
    await device.disconnect();
  });

  it('a number WhatsApp Web has no LID for: recipient_unreachable, and nothing went out', async () => {
    await start({ profile: '2026-07-lid', noLidFor: [CONTACT] });
    await startAndPair(gw!, log, SESSION);
    await expect(log.client.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'hello?' })).rejects.toMatchObject({
      code: 'recipient_unreachable',
    });
    const device = await phone(gw!.dataDir, SESSION);
    expect(await sentMessages(device.page)).toEqual([]);
    await device.disconnect();
  });

  it('a send the library cannot read back: send_unconfirmed, and a retry with its clientMessageId never sends it again', async () => {
    await start({ misindexSent: true });
    await startAndPair(gw!, log, SESSION);
    const send = () => log.client.sendMessage({ sessionId: SESSION, to: CONTACT, message: 'once only', clientMessageId: 'c-1' });
    await expect(send()).rejects.toMatchObject({ code: 'send_unconfirmed' });
    await expect(send()).rejects.toMatchObject({ code: 'send_unconfirmed' });
    const device = await phone(gw!.dataDir, SESSION);
    expect((await sentMessages(device.page)).map((m) => m.body)).toEqual(['once only']);
    await device.disconnect();
  });
});
