/**
 * The double's messages against real WhatsApp Web shapes quoted in public threads
 * (test/fixtures/whatsapp-web): the raw whatsapp-web.js 1.34.7 Client, without the gateway's page
 * scripts, must hand over the same field names and types from the double as people saw from the site.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { Message } from 'whatsapp-web.js';
import { findBrowser, launchArgs } from '../../src/engines/wwebjs/browser';
import { hasBrowser } from '../../double/gateway';
import { golden, shapeOf } from '../support/golden';
import { deliverMessage, prepareDoubleCache, type DoublePage, type DoubleProfile } from '../../double/harness';

const { Client, LocalAuth } = wwebjs;
type WAClient = InstanceType<typeof Client>;

const PEER = '15551234567@c.us';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-golden-'));
const clients: WAClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((client) => client.destroy().catch(() => undefined)));
  fs.rmSync(root, { recursive: true, force: true });
});

/** A paired client on a fresh double of `profile` (auto mode pairs it by itself). */
async function pairedClient(profile: DoubleProfile): Promise<WAClient> {
  const cache = prepareDoubleCache(path.join(root, `cache-${profile}`), { profile, auto: true, scanAfterMs: 50 });
  const client = new Client({
    ...cache,
    authStrategy: new LocalAuth({ clientId: profile.replace(/\W/g, ''), dataPath: path.join(root, 'auth') }),
    puppeteer: { executablePath: findBrowser(process.env.CHROME_PATH), headless: true, args: launchArgs([]) },
  });
  clients.push(client);
  const ready = new Promise((resolve) => client.once('ready', resolve));
  await client.initialize();
  await ready;
  return client;
}

function next(client: WAClient, event: 'message' | 'message_create', accept: (msg: Message) => boolean): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (msg: Message) => {
      if (!accept(msg)) return;
      client.off(event, listener);
      resolve(msg);
    };
    client.on(event, listener);
  });
}

const incomingModel = golden('incoming-lid-text-2025-12').data;
const { id: _goldenId, ...incomingFields } = incomingModel;
const keyOfJuly = golden('incoming-key-2026-07').data;
const sentKeyOfJuly = golden('outgoing-key-2026-07').data;
const keyBefore = incomingModel.id as Record<string, unknown>;

describe.skipIf(!hasBrowser).each<[DoubleProfile, Record<string, unknown>, Record<string, unknown>]>([
  ['legacy', keyBefore, keyBefore],
  ['2026-07', keyOfJuly, sentKeyOfJuly],
  ['2026-07-lid', keyOfJuly, sentKeyOfJuly],
])('the %s double next to real shapes', { timeout: 30_000 }, (profile, incomingKey, sentKey) => {
  let client: WAClient;

  it('an incoming text has every field a real one has, of the same type, and its key has the shape of its time', async () => {
    client = await pairedClient(profile);
    const received = next(client, 'message', (msg) => msg.body === 'Ok');
    const page = client.pupPage as DoublePage;
    const id = await deliverMessage(page, { from: PEER, body: 'Ok' });
    const msg = await received;
    // The quoted model is a JSON dump taken in the page; so is this.
    const model = await page.evaluate(
      (key) => JSON.parse(JSON.stringify(window.require('WAWebCollections').Msg.get(key).serialize())) as Record<string, unknown>,
      id,
    );
    expect(shapeOf(model)).toMatchObject(shapeOf(incomingFields));
    expect(shapeOf(msg.id as unknown as Record<string, unknown>)).toEqual(shapeOf(incomingKey));
    if (profile === '2026-07-lid') {
      expect(model).toMatchObject({ from: expect.stringMatching(/@lid$/), to: expect.stringMatching(/@c\.us$/) });
      expect(msg.id.remote).toMatch(/@lid$/);
    }
  });

  it('a sent message has the key shape of its time', async () => {
    const created = next(client, 'message_create', (msg) => msg.fromMe && msg.body === 'sent by me');
    await client.sendMessage(PEER, 'sent by me', { sendSeen: false }); // resolves undefined from July 2026 on
    const msg = await created;
    expect(shapeOf(msg.id as unknown as Record<string, unknown>)).toEqual(shapeOf(sentKey));
    if (profile === '2026-07-lid') expect(msg.id.remote).toMatch(/@lid$/); // the page learned the LID from the message above
  });
});
