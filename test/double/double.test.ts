// The real whatsapp-web.js Client, in real headless Chromium, against the WhatsApp Web double.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchArgs } from '../../src/engines/wwebjs/browser';
import { afterAll, describe, expect, it, vi } from 'vitest';
import wwebjs from 'whatsapp-web.js';
import type { Message } from 'whatsapp-web.js';
import {
  chatMessages,
  type DoubleCacheOptions,
  type DoublePage,
  deliverMessage,
  expireMedia,
  enterPairingCode,
  logoutFromPhone,
  pairingRequests,
  missingModules,
  prepareDoubleCache,
  reload,
  scanQr,
  seenCalls,
  sentMessages,
  setAck,
  stopAnswering,
  typingCalls,
  waitForInject,
} from '../../double/harness';

const { Client, LocalAuth, MessageMedia } = wwebjs;
type WAClient = InstanceType<typeof Client>;

const ME = '15550001234@c.us';
const PEER = '15551234567@c.us';
const NOBODY = '15551230000@c.us'; // numbers ending in 000 are not on WhatsApp
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const b64 = (text: string) => Buffer.from(text).toString('base64');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-double-'));
const dataPath = path.join(root, 'auth');
const live = new Set<WAClient>();
const manualCache = prepareDoubleCache(path.join(root, 'cache-manual'), { qrRefreshMs: 300 });
/** The id of the first message sent below, to find again after the page reloads. */
let firstSentId = '';

function newClient(cache: DoubleCacheOptions, clientId: string, options: wwebjs.ClientOptions = {}): WAClient {
  const client = new Client({
    ...options,
    ...cache,
    authStrategy: new LocalAuth({ clientId, dataPath }),
    puppeteer: {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: launchArgs([]),
    },
  });
  live.add(client);
  return client;
}

/** A new client on a fresh profile, paired by scanning its first QR; resolves once ready. */
async function pairNewClient(cache: DoubleCacheOptions, clientId: string): Promise<WAClient> {
  const client = newClient(cache, clientId);
  const qr = nextEvent(client, 'qr');
  await client.initialize();
  await qr;
  const ready = nextEvent(client, 'ready');
  await scanQr(pageOf(client));
  await ready;
  return client;
}

async function destroy(client: WAClient): Promise<void> {
  live.delete(client);
  await client.destroy();
}

function pageOf(client: WAClient): DoublePage {
  if (!client.pupPage) throw new Error('client has no page yet');
  return client.pupPage;
}

/** Resolves with the arguments of the next `event` accepted by `accept`. */
function nextEvent(client: WAClient, event: string, accept: (...args: unknown[]) => boolean = () => true, timeoutMs = 15_000) {
  return new Promise<unknown[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off(event, listener);
      reject(new Error(`no '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (...args: unknown[]) => {
      if (!accept(...args)) return;
      clearTimeout(timer);
      client.off(event, listener);
      resolve(args);
    };
    client.on(event, listener);
  });
}

/** Only for checks that nothing happens, where no event can say so. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await Promise.all([...live].map((client) => client.destroy().catch(() => undefined)));
  fs.rmSync(root, { recursive: true, force: true });
});

describe('manual mode: a new account, driven by the harness', () => {
  let client: WAClient;
  const qrs: string[] = [];

  it('shows a QR and emits a new one whenever the QR ref rotates', async () => {
    client = newClient(manualCache, 'main');
    client.on('qr', (qr: string) => qrs.push(qr));
    await client.initialize();
    await vi.waitUntil(() => qrs.length >= 3, { timeout: 10_000 });
    const [first, second] = qrs;
    expect(first?.split(',')).toHaveLength(5); // ref,noise key,identity key,adv secret,platform
    expect(first).toMatch(/^2@/);
    expect(second).not.toBe(first);
  }, 30_000);

  it('pairs when the phone scans: authenticated, ready, client.info', async () => {
    const authenticated = nextEvent(client, 'authenticated');
    const ready = nextEvent(client, 'ready');
    await scanQr(pageOf(client));
    await authenticated;
    await ready;
    expect(client.info.wid.user).toBe('15550001234');
    expect(client.info.wid._serialized).toBe(ME);
    expect(client.info.pushname).toBe('Double');
    expect(await client.getState()).toBe('CONNECTED');
    const qrCount = qrs.length;
    await sleep(700); // no event says the rotation stopped: two of its 300 ms periods pass without a QR
    expect(qrs).toHaveLength(qrCount);
  });

  it('sends text and media, and records what was sent', async () => {
    const page = pageOf(client);
    const text = await client.sendMessage(PEER, 'hello', { sendSeen: false });
    expect(text.id._serialized).toMatch(/^true_15551234567@c\.us_3EB0[0-9A-F]{16}$/);
    expect(text).toMatchObject({ fromMe: true, to: PEER, from: ME, body: 'hello', type: 'chat', ack: 0 });
    firstSentId = text.id._serialized;

    const image = await client.sendMessage(PEER, new MessageMedia('image/png', PNG, 'dot.png'), {
      caption: 'a dot',
      sendSeen: false,
    });
    expect(image).toMatchObject({ type: 'image', hasMedia: true, body: 'a dot' });
    expect(image.id._serialized).toBeTruthy();
    const document = await client.sendMessage(PEER, new MessageMedia('application/pdf', b64('%PDF-1.4'), 'report.pdf'), {
      sendMediaAsDocument: true,
      sendSeen: false,
    });
    const voice = await client.sendMessage(PEER, new MessageMedia('audio/ogg; codecs=opus', b64('OggS'), 'note.ogg'), {
      sendAudioAsVoice: true,
      sendSeen: false,
    });
    expect([document.type, voice.type]).toEqual(['document', 'ptt']);

    expect(await sentMessages(page)).toMatchObject([
      { id: text.id._serialized, to: PEER, type: 'chat', body: 'hello', isVoice: false, asDocument: false, ack: 0 },
      {
        id: image.id._serialized,
        type: 'image',
        mimetype: 'image/png',
        filename: 'dot.png',
        caption: 'a dot',
        size: Buffer.from(PNG, 'base64').length,
      },
      { type: 'document', mimetype: 'application/pdf', filename: 'report.pdf', asDocument: true, isVoice: false },
      { type: 'ptt', mimetype: 'audio/ogg; codecs=opus', isVoice: true, asDocument: false },
    ]);
    expect(await seenCalls(page)).toEqual([]);
  });

  it('resolves numbers, contacts, about texts and profile pictures', async () => {
    expect(await client.getNumberId(PEER)).toEqual({ server: 'c.us', user: '15551234567', _serialized: PEER });
    expect(await client.getNumberId('15551230000')).toBeNull();
    expect(await client.isRegisteredUser(PEER)).toBe(true);

    const contact = await client.getContactById(PEER);
    expect(contact).toMatchObject({ number: '15551234567', isMe: false, isUser: true, isGroup: false, isWAContact: true });
    expect(contact.id._serialized).toBe(PEER);
    expect(await contact.getAbout()).toBe('Hey there! I am using WhatsApp.');
    expect(await (await client.getContactById(NOBODY)).getAbout()).toBeNull();

    expect(await client.getProfilePicUrl(PEER)).toMatch(/^https:\/\/pps\.whatsapp\.net\/.+15551234567/);
    expect(await client.getProfilePicUrl(NOBODY)).toBeUndefined();
  });

  it('records typing, clearState and read receipts', async () => {
    const page = pageOf(client);
    const chat = await client.getChatById(PEER);
    expect(chat).toMatchObject({ isGroup: false, name: '+15551234567' });
    expect(chat.id._serialized).toBe(PEER);
    await chat.sendStateTyping();
    await chat.clearState();
    await chat.sendSeen();
    await client.sendSeen(PEER);
    await client.sendMessage(PEER, 'seen by default', {}); // sendSeen defaults to true

    expect((await typingCalls(page)).map((c) => [c.chatId, c.state])).toEqual([
      [PEER, 'typing'],
      [PEER, 'stop'],
    ]);
    expect((await seenCalls(page)).map((c) => c.chatId)).toEqual([PEER, PEER, PEER]);
  });

  it('emits incoming text and media messages, and downloads the media', async () => {
    const page = pageOf(client);
    const textEvent = nextEvent(client, 'message');
    const textId = await deliverMessage(page, { from: PEER, body: 'hi there', timestamp: 1_700_000_000 });
    const [text] = (await textEvent) as [Message];
    expect(text).toMatchObject({ from: PEER, to: ME, body: 'hi there', type: 'chat', hasMedia: false, fromMe: false });
    expect(text.timestamp).toBe(1_700_000_000);
    expect(text.id._serialized).toBe(textId);

    const imageEvent = nextEvent(client, 'message');
    const imageId = await deliverMessage(page, {
      from: PEER,
      media: { mimetype: 'image/jpeg', data: PNG, filename: 'photo.jpg' },
      caption: 'look at this',
    });
    const [image] = (await imageEvent) as [Message];
    expect(image).toMatchObject({ from: PEER, type: 'image', hasMedia: true, body: 'look at this' });
    expect(image.id._serialized).toBe(imageId);
    expect(Math.abs(image.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(await image.downloadMedia()).toMatchObject({ mimetype: 'image/jpeg', data: PNG, filename: 'photo.jpg' });
  });

  // slice "media download" (issue 14)
  it("decrypts only with the message's own mediaKey, and has nothing once the phone no longer has the file", async () => {
    const page = pageOf(client);
    const imageEvent = nextEvent(client, 'message');
    const imageId = await deliverMessage(page, { from: PEER, media: { mimetype: 'image/png', data: PNG } });
    const [image] = (await imageEvent) as [Message];
    const decrypt = (id: string, keyOfMessage: boolean) =>
      page.evaluate(
        async (messageId: string, ownKey: boolean) => {
          const msg = window.require('WAWebCollections').Msg.get(messageId);
          const { downloadManager } = window.require('WAWebDownloadManager');
          const bytes = await downloadManager.downloadAndMaybeDecrypt({
            directPath: msg.directPath,
            encFilehash: msg.encFilehash,
            mediaKey: ownKey ? msg.mediaKey : 'AAAA' + msg.mediaKey.slice(4),
            type: msg.type,
          });
          return bytes.byteLength;
        },
        id,
        keyOfMessage,
      );
    expect(await decrypt(imageId, true)).toBe(Buffer.from(PNG, 'base64').length);
    await expect(decrypt(imageId, false)).rejects.toThrow('media decryption failed');
    await expireMedia(page, imageId);
    expect(await image.downloadMedia()).toBeUndefined();
  });

  it('emits message_ack 1, 2, 3 as the harness progresses a sent message', async () => {
    const msg = await client.sendMessage(PEER, 'ack me', { sendSeen: false });
    const acks: number[] = [];
    client.on('message_ack', (m: Message, ack: number) => {
      if (m.id._serialized === msg.id._serialized) acks.push(ack);
    });
    for (const ack of [1, 2, 3]) await setAck(pageOf(client), msg.id._serialized, ack);
    await vi.waitUntil(() => acks.length === 3, { timeout: 10_000 });
    expect(acks).toEqual([1, 2, 3]);
    expect((await sentMessages(pageOf(client))).at(-1)).toMatchObject({ id: msg.id._serialized, ack: 3 });
  });

  it('fails loudly when the library asks for a module the double lacks', async () => {
    const page = pageOf(client);
    expect(await missingModules(page)).toEqual([]);
    const requireModule = () => (window as unknown as { require(name: string): unknown }).require('WAWebNotThere');
    await expect(page.evaluate(requireModule)).rejects.toThrow('WhatsApp Web double: module not provided: WAWebNotThere');
    expect(await missingModules(page)).toEqual(['WAWebNotThere']);
    await destroy(client);
  });
});

describe('manual mode: the paired profile from above', () => {
  let client: WAClient;
  const qrs: string[] = [];

  it('comes back ready from the LocalAuth profile without a QR', async () => {
    client = newClient(manualCache, 'main');
    client.on('qr', (qr: string) => qrs.push(qr));
    const ready = nextEvent(client, 'ready');
    await client.initialize();
    await ready;
    expect(qrs).toEqual([]);
    expect(client.info.wid._serialized).toBe(ME);
  }, 30_000);

  it('keeps what the account sent in its chat across page loads, as the real site does; not what it received', async () => {
    const kept = await chatMessages(pageOf(client), PEER);
    expect(kept.map((msg) => [msg.fromMe, msg.type, msg.body ?? msg.caption])).toEqual([
      [true, 'chat', 'hello'],
      [true, 'image', 'a dot'],
      [true, 'document', undefined],
      [true, 'ptt', undefined],
      [true, 'chat', 'seen by default'],
      [true, 'chat', 'ack me'],
    ]);
    expect(kept[0]!.id).toBe(firstSentId);
    expect(await sentMessages(pageOf(client))).toEqual([]); // the harness's record is of this page load only
  });

  it('re-injects after a reload and keeps working', async () => {
    const authenticated = nextEvent(client, 'authenticated');
    const ready = nextEvent(client, 'ready');
    await reload(pageOf(client));
    await authenticated;
    await ready;
    expect(qrs).toEqual([]);
    const incoming = nextEvent(client, 'message');
    await deliverMessage(pageOf(client), { from: PEER, body: 'still there?' });
    expect(((await incoming) as [Message])[0].body).toBe('still there?');
    await client.sendMessage(PEER, 'yes', { sendSeen: false });
    expect((await sentMessages(pageOf(client))).map((m) => m.body)).toEqual(['yes']); // records live in the page
  });

  it('emits disconnected LOGOUT when the phone logs out, then shows a new QR', async () => {
    const disconnected = nextEvent(client, 'disconnected');
    const qr = nextEvent(client, 'qr');
    await logoutFromPhone(pageOf(client));
    expect(await disconnected).toEqual(['LOGOUT']);
    await qr;
    await waitForInject(pageOf(client));
    await destroy(client);
  });

  it('has forgotten the session: a new client on the profile gets a QR, and a new pairing has empty chats', async () => {
    client = await pairNewClient(manualCache, 'main');
    expect(await chatMessages(pageOf(client), PEER)).toEqual([]);
    await stopAnswering(pageOf(client)); // for the next test
    await destroy(client);
  }, 30_000);

  it('hangs when the page stops answering: initialize() never settles', async () => {
    client = newClient(manualCache, 'main');
    const events: string[] = [];
    for (const event of ['qr', 'authenticated', 'ready']) client.on(event, () => events.push(event));
    const init = client.initialize().then(
      () => 'resolved',
      () => 'rejected',
    );
    // A hang has no event: initialize() is still pending after 4 s.
    expect(await Promise.race([init, sleep(4_000).then(() => 'pending')])).toBe('pending');
    expect(events).toEqual([]);
    await destroy(client);
    expect(await init).toBe('rejected'); // destroy() makes the pending page call fail
  }, 30_000);
});

/** The page modules a send goes through, as far as the test below uses them. */
interface SendModules {
  WAWebUserPrefsMeUser: { getMaybeMePnUser(): object };
  WAWebCollections: { Chat: { find(wid: object): Promise<{ id: object }> } };
  WAWebWidFactory: { createWid(id: string): object };
  WAWebMsgKey: new (parts: object) => object;
  WAWebSendMsgChatAction: { addAndSendMsgToChat(chat: object, message: object): [Promise<unknown>, Promise<unknown>] };
}

describe('what outlives a page load', () => {
  it('keeps the newest 500 messages the account sent', async () => {
    const client = await pairNewClient(prepareDoubleCache(path.join(root, 'cache-kept')), 'kept');
    // Straight into the page's send action: 501 sends through the library would take a minute.
    await pageOf(client).evaluate(async (peer: string) => {
      const need = <K extends keyof SendModules>(name: K) => (window as unknown as { require(name: K): SendModules[K] }).require(name);
      const me = need('WAWebUserPrefsMeUser').getMaybeMePnUser();
      const chat = await need('WAWebCollections').Chat.find(need('WAWebWidFactory').createWid(peer));
      const MsgKey = need('WAWebMsgKey');
      for (let n = 1; n <= 501; n += 1) {
        const id = new MsgKey({ from: me, to: chat.id, id: `KEPT${n}`, selfDir: 'out' });
        const message = { id, from: me, to: chat.id, t: Math.floor(Date.now() / 1000), type: 'chat', body: `n${n}`, ack: 0 };
        await need('WAWebSendMsgChatAction').addAndSendMsgToChat(chat, message)[0];
      }
    }, PEER);
    const readyAgain = nextEvent(client, 'ready');
    await reload(pageOf(client));
    await readyAgain;
    const kept = await chatMessages(pageOf(client), PEER);
    expect(kept).toHaveLength(500);
    expect([kept[0]!.body, kept.at(-1)!.body]).toEqual(['n2', 'n501']);
    await destroy(client);
  }, 60_000);
});

describe('auto mode', () => {
  const cache = prepareDoubleCache(path.join(root, 'cache-auto'), { auto: true, scanAfterMs: 300 });

  it('pairs by itself, echoes sends as incoming messages and progresses acks', async () => {
    const client = newClient(cache, 'auto');
    try {
      const qr = nextEvent(client, 'qr');
      const ready = nextEvent(client, 'ready');
      await client.initialize();
      await qr;
      await ready;

      const acks = new Map<string, number[]>();
      client.on('message_ack', (m: Message, ack: number) => acks.set(m.id._serialized, [...(acks.get(m.id._serialized) ?? []), ack]));
      const echo = nextEvent(client, 'message');
      const ping = await client.sendMessage(PEER, 'ping', { sendSeen: false });
      expect(((await echo) as [Message])[0]).toMatchObject({ from: PEER, body: 'echo: ping', type: 'chat' });
      await vi.waitUntil(() => acks.get(ping.id._serialized)?.length === 3, { timeout: 10_000 });
      expect(acks.get(ping.id._serialized)).toEqual([1, 2, 3]);

      const mediaEcho = nextEvent(client, 'message');
      await client.sendMessage(PEER, new MessageMedia('image/png', PNG, 'dot.png'), { caption: 'x', sendSeen: false });
      const [image] = (await mediaEcho) as [Message];
      expect(image).toMatchObject({ from: PEER, type: 'image', hasMedia: true, body: 'echo: image' });
      expect((await image.downloadMedia()).data).toBe(PNG);

      expect(await client.getNumberId(NOBODY)).toBeNull();
      const messages: Message[] = [];
      client.on('message', (m: Message) => messages.push(m));
      const toNobody = await client.sendMessage(NOBODY, 'anyone?', { sendSeen: false });
      // The double answers on timers (echo after 300 ms, acks up to 400 ms): once a message sent later has its
      // echo and all its acks, those of toNobody would have come.
      const later = await client.sendMessage(PEER, 'later', { sendSeen: false });
      await vi.waitUntil(() => acks.get(later.id._serialized)?.length === 3 && messages.length > 0, { timeout: 10_000 });
      expect(acks.get(toNobody.id._serialized)).toBeUndefined(); // nobody there: no acks, no echo
      expect(messages.map((m) => m.body)).toEqual(['echo: later']);
      expect(toNobody.ack).toBe(0);
      expect(await missingModules(pageOf(client))).toEqual([]);
    } finally {
      await destroy(client);
    }
  }, 30_000);
});

// ---- issue 14, pairing codes ----

describe('pairing code: a Client built with pairWithPhoneNumber', () => {
  it('emits a code instead of a QR, a new one every intervalMs, and is ready once the phone enters the current one', async () => {
    const client = newClient(manualCache, 'coded', { pairWithPhoneNumber: { phoneNumber: '15557654321', intervalMs: 1500 } });
    try {
      const qrs: string[] = [];
      client.on('qr', (qr: string) => qrs.push(qr));
      const first = nextEvent(client, 'code');
      await client.initialize();
      const [firstCode] = (await first) as [string];
      expect(firstCode).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
      const [secondCode] = (await nextEvent(client, 'code')) as [string];
      expect(secondCode).not.toBe(firstCode);
      const requests = await pairingRequests(pageOf(client));
      expect(requests.slice(0, 2)).toEqual([
        { phoneNumber: '15557654321', showNotification: true, code: firstCode },
        { phoneNumber: '15557654321', showNotification: true, code: secondCode },
      ]);

      const ready = nextEvent(client, 'ready');
      const current = requests.at(-1)!.code;
      await expect(enterPairingCode(pageOf(client), firstCode)).rejects.toThrow(/wrong pairing code/);
      await enterPairingCode(pageOf(client), current);
      await ready;
      expect(client.info.wid.user).toBe('15557654321');
      expect(qrs).toEqual([]);
      expect(await missingModules(pageOf(client))).toEqual([]);
    } finally {
      await destroy(client);
    }
  }, 30_000);
});

// ---- end of issue 14, pairing codes ----
