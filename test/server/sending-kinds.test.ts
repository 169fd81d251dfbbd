/**
 * Stickers, locations, contact cards, polls, replies and mentions through the API (sandbox): what is
 * refused (naming the field), what the sandbox sent (its record, sandbox-sent.jsonl), its echo, and
 * that the outbox carries each kind across a restart.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { readSandboxSent } from '../../src/engines/sandbox/sent-record';
import type { RequestInput } from '../../src/protocol/events';
import { collect, nextEvent, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

type Send = RequestInput<'send_whatsapp_message'>;

const SESSION = 'kinds';
const PEER = '6282284316465';
const CHAT = `${PEER}@c.us`;
const QUOTED = `false_${CHAT}_3EB0QUOTED`;
const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Budi Santoso\nTEL;type=CELL;waid=6281234567890:+62 812-3456-7890\nEND:VCARD';
const LOCATION = { latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Gambir, Jakarta' };
const POLL = { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: true };

const send = (fields: Partial<Send>): Send => ({ sessionId: SESSION, to: PEER, ...fields });

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.shutdown();
  gateway = undefined;
});

async function connected(env: Record<string, string> = {}, root?: string): Promise<GatewayClient> {
  gateway = await startSandboxGateway({ SANDBOX_ECHO: '0', MEDIA_ALLOW_DATA: '1', ...env }, root);
  const client = await gateway.client();
  const ready = nextEvent(client, 'session_connected');
  await client.startSession(SESSION);
  await ready;
  return client;
}

const sandboxSent = () => readSandboxSent(path.join(gateway!.config.dataDir, `session-${SESSION}`));
const inline = (mimetype: string) => ({ data: Buffer.from(`${mimetype} bytes`).toString('base64'), mimetype });

describe('refused, naming the field (invalid_payload unless said otherwise)', () => {
  it.each<[string, Partial<Send>, string]>([
    ['location missing', { type: 'location' }, 'location: is required for location messages'],
    ['latitude out of range', { type: 'location', location: { ...LOCATION, latitude: 91 } }, 'location.latitude'],
    ['longitude not a number', { type: 'location', location: { ...LOCATION, longitude: 'east' as never } }, 'location.longitude'],
    ['empty location name', { type: 'location', location: { ...LOCATION, name: '  ' } }, 'location.name'],
    ['poll missing', { type: 'poll' }, 'poll: is required for poll messages'],
    ['poll without question', { type: 'poll', poll: { ...POLL, question: '' } }, 'poll.question'],
    ['one poll option', { type: 'poll', poll: { ...POLL, options: ['Rice'] } }, 'poll.options'],
    ['13 poll options', { type: 'poll', poll: { ...POLL, options: Array.from({ length: 13 }, (_, i) => `o${i}`) } }, 'poll.options'],
    ['repeated poll options', { type: 'poll', poll: { ...POLL, options: ['Rice', ' Rice '] } }, 'poll.options: must all differ'],
    ['empty poll option', { type: 'poll', poll: { ...POLL, options: ['Rice', ' '] } }, 'poll.options.1'],
    [
      'allowMultipleAnswers not a boolean',
      { type: 'poll', poll: { ...POLL, allowMultipleAnswers: 'yes' as never } },
      'poll.allowMultipleAnswers',
    ],
    ['contact missing', { type: 'contact' }, 'contact: is required for contact messages'],
    ['contact with neither', { type: 'contact', contact: {} }, 'contact.numbers: give either numbers or vcard'],
    ['contact with both', { type: 'contact', contact: { numbers: [PEER], vcard: VCARD } }, 'contact.numbers: give either numbers or vcard'],
    ['no numbers', { type: 'contact', contact: { numbers: [] } }, 'contact.numbers'],
    ['21 numbers', { type: 'contact', contact: { numbers: Array.from({ length: 21 }, () => PEER) } }, 'contact.numbers'],
    ['not a vCard', { type: 'contact', contact: { vcard: 'Budi, +62 812' } }, 'contact.vcard: must be one vCard'],
    ['a vCard without a name', { type: 'contact', contact: { vcard: 'BEGIN:VCARD\nVERSION:3.0\nEND:VCARD' } }, 'contact.vcard'],
    ['sticker without media', { type: 'sticker' }, 'media: is required for sticker messages'],
    ['quotedMessageId not a message id', { message: 'hi', quotedMessageId: '3EB0QUOTED' }, 'quotedMessageId: must be a message id'],
    ['mentions not a list', { message: 'hi', mentions: PEER as never }, 'mentions'],
  ])('%s', async (_, fields, message) => {
    const client = await connected();
    await expect(client.sendMessage(send(fields))).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining(message),
    });
    expect(await sandboxSent()).toEqual([]);
  });

  it.each<[string, Partial<Send>, string, string]>([
    ['a caption on a sticker', { type: 'sticker', media: inline('image/webp'), caption: 'hi' }, 'invalid_payload', 'caption: sticker'],
    ['a text with a location', { type: 'location', location: LOCATION, message: 'here' }, 'invalid_payload', 'message: location'],
    ['a text with a poll', { type: 'poll', poll: POLL, caption: 'vote' }, 'invalid_payload', 'caption: poll'],
    ['a video sticker', { type: 'sticker', media: inline('video/mp4') }, 'unsupported_type', 'cannot be sent as sticker'],
    ['a malformed mention', { message: 'hi', mentions: [PEER, 'nobody'] }, 'invalid_number', 'mentions.1: "nobody"'],
    [
      'a group mentioned',
      { message: 'hi', mentions: ['120363021234567890@g.us'] },
      'invalid_number',
      `mentions.0: "120363021234567890@g.us" is a group; give a person's number`,
    ],
    [
      'a group as a contact card',
      { type: 'contact', contact: { numbers: ['120363021234567890@g.us'] } },
      'invalid_number',
      `contact.numbers.0: "120363021234567890@g.us" is a group; give a person's number`,
    ],
  ])('%s', async (_, fields, code, message) => {
    const client = await connected();
    await expect(client.sendMessage(send(fields))).rejects.toMatchObject({ code, message: expect.stringContaining(message) });
    expect(await sandboxSent()).toEqual([]);
  });
});

describe('sent (sandbox)', () => {
  it('sends each kind, answers message_sent with its type, and keeps what it sent on record', async () => {
    const client = await connected();
    const sends: Array<Partial<Send>> = [
      { type: 'location', location: LOCATION },
      { type: 'poll', poll: { question: ' Lunch? ', options: [' Rice', 'Noodles '] } },
      { type: 'contact', contact: { numbers: ['+62 812-3456-7890', '6289876543210@c.us'] } },
      { type: 'contact', contact: { vcard: VCARD } },
      { type: 'sticker', media: inline('image/webp') },
      { type: 'sticker', media: inline('image/png') },
      { message: 'hi @6281234567890', quotedMessageId: QUOTED, mentions: ['6281234567890'] },
    ];
    const answers = [];
    for (const fields of sends) answers.push(await client.sendMessage(send(fields)));
    expect(answers.map((a) => [a.type, a.message])).toEqual([
      ['location', undefined],
      ['poll', undefined],
      ['contact', undefined],
      ['contact', undefined],
      ['sticker', undefined],
      ['sticker', undefined],
      ['text', 'hi @6281234567890'],
    ]);
    const record = await sandboxSent();
    expect(record.map((r) => r.id)).toEqual(answers.map((a) => a.messageId));
    expect(record.map(({ id: _, timestamp: __, ...rest }) => rest)).toEqual([
      { chatId: CHAT, type: 'location', text: 'Monas\nGambir, Jakarta', location: LOCATION },
      {
        chatId: CHAT,
        type: 'poll',
        text: 'Lunch?',
        poll: { question: 'Lunch?', options: ['Rice', 'Noodles'], allowMultipleAnswers: false },
      },
      { chatId: CHAT, type: 'contact', contact: { chatIds: ['6281234567890@c.us', '6289876543210@c.us'] } },
      { chatId: CHAT, type: 'contact', contact: { vcard: VCARD } },
      { chatId: CHAT, type: 'sticker' },
      { chatId: CHAT, type: 'sticker' },
      { chatId: CHAT, type: 'text', text: 'hi @6281234567890', quotedMessageId: QUOTED, mentions: ['6281234567890@c.us'] },
    ]);
  });

  it('echoes each kind as "echo: <type>", and a reply as its text', async () => {
    const client = await connected({ SANDBOX_ECHO: '1' });
    const echoes = collect(client, 'message_received');
    await client.sendMessage(send({ type: 'location', location: LOCATION }));
    await client.sendMessage(send({ type: 'poll', poll: POLL }));
    await client.sendMessage(send({ message: 'a reply', quotedMessageId: QUOTED }));
    await vi.waitFor(() => expect(echoes).toHaveLength(3));
    expect(echoes.map((e) => [e.message.from, e.message.text])).toEqual([
      [PEER, 'echo: location'],
      [PEER, 'echo: poll'],
      [PEER, 'echo: a reply'],
    ]);
  });
});

describe('across a restart (outbox)', () => {
  it('each kind waiting in the outbox at shutdown goes out after the restart as it was accepted', async () => {
    const client = await connected({ SEND_MIN_INTERVAL_MS: '60000', SHUTDOWN_GRACE_MS: '0' });
    await client.sendMessage(send({ message: 'first goes at once' }));
    const waiting: Array<Partial<Send>> = [
      { type: 'location', location: LOCATION, clientMessageId: 'loc' },
      { type: 'poll', poll: POLL, clientMessageId: 'poll' },
      { type: 'contact', contact: { vcard: VCARD }, clientMessageId: 'vcard' },
      { type: 'contact', contact: { numbers: ['6281234567890'] }, clientMessageId: 'card' },
      { message: 'hi @6281234567890', quotedMessageId: QUOTED, mentions: ['6281234567890'], clientMessageId: 'reply' },
      // Last: media is read before the outbox takes a send in, so a later text could overtake it.
      { type: 'sticker', media: inline('image/webp'), clientMessageId: 'sticker' },
    ];
    // Their answers do not come: the client is closed with the gateway (shutdown()); the outcomes follow as events.
    for (const fields of waiting) client.sendMessage(send(fields)).catch(() => undefined);
    await vi.waitFor(async () => expect((await client.getSessionStatus(SESSION)).queueDepth).toBe(waiting.length));
    const root = gateway!.root;
    await gateway!.shutdown();
    const before = (await sandboxSent()).length;

    const after = await startSandboxGateway({ SANDBOX_ECHO: '0', MEDIA_ALLOW_DATA: '1' }, root);
    gateway = after;
    const watcher = await after.client();
    const sent = collect(watcher, 'message_sent');
    await vi.waitFor(() => expect(sent).toHaveLength(waiting.length), { timeout: 5000 });
    expect(sent.map((e) => [e.clientMessageId, e.type])).toEqual([
      ['loc', 'location'],
      ['poll', 'poll'],
      ['vcard', 'contact'],
      ['card', 'contact'],
      ['reply', 'text'],
      ['sticker', 'sticker'],
    ]);
    const record = (await sandboxSent()).slice(before);
    expect(record.map(({ id: _, timestamp: __, chatId: ___, ...rest }) => rest)).toEqual([
      { type: 'location', text: 'Monas\nGambir, Jakarta', location: LOCATION },
      { type: 'poll', text: 'Lunch?', poll: POLL },
      { type: 'contact', contact: { vcard: VCARD } },
      { type: 'contact', contact: { chatIds: ['6281234567890@c.us'] } },
      { type: 'text', text: 'hi @6281234567890', quotedMessageId: QUOTED, mentions: ['6281234567890@c.us'] },
      { type: 'sticker' },
    ]);
  });
});
