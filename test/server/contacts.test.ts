/**
 * get_contacts, block_contact, unblock_contact, get_blocked_contacts and resolve_contact through the
 * API (sandbox): the sandbox's contact book (docs/sandbox.md) and what is refused.
 */
import { describe, expect, it } from 'vitest';
import { nextEvent, sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'contacts';
const PEER = '6282284316465';
const PEER_LID = `2${PEER.padStart(14, '0').split('').reverse().join('')}@lid`;
const SAVED = ['15550100001@c.us', '15550100002@c.us', '15550100003@c.us'];

const { connected, notConnected } = sandboxGatewayPerTest(SESSION);

describe('get_contacts', () => {
  it('lists the saved contacts, then also the people the session talked to, ordered by id', async () => {
    const client = await connected();
    const first = await client.request('get_contacts', { sessionId: SESSION });
    expect(first).toEqual({
      sessionId: SESSION,
      contacts: [
        {
          id: '15550100001@c.us',
          number: '15550100001',
          lid: '210000105551000@lid',
          name: 'Alice Example',
          pushname: 'Alice',
          isMyContact: true,
          isBlocked: false,
          isBusiness: false,
        },
        expect.objectContaining({ id: '15550100002@c.us', isBusiness: true, pushname: "Bob's Bakery" }),
        expect.objectContaining({ id: '15550100003@c.us', pushname: null }),
      ],
      nextCursor: null,
    });
    await client.sendMessage({ sessionId: SESSION, to: PEER, message: 'hi' });
    const received = nextEvent(client, 'message_received');
    await client.request('sandbox_inject_message', { sessionId: SESSION, from: '6281111111111', text: 'hello' });
    await received;
    const { contacts } = await client.request('get_contacts', { sessionId: SESSION });
    expect(contacts.map((contact) => contact.id)).toEqual([...SAVED, '6281111111111@c.us', `${PEER}@c.us`]);
    expect(contacts.at(-1)).toEqual({
      id: `${PEER}@c.us`,
      number: PEER,
      lid: PEER_LID,
      name: null,
      pushname: 'Contact 6465',
      isMyContact: false,
      isBlocked: false,
      isBusiness: false,
    });
  });

  it('pages with an opaque cursor, and refuses a cursor it did not give', async () => {
    const client = await connected();
    const first = await client.request('get_contacts', { sessionId: SESSION, limit: 2 });
    expect(first.contacts.map((contact) => contact.id)).toEqual(SAVED.slice(0, 2));
    expect(JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString('utf8'))).toEqual({ after: SAVED[1] }); // the wire format clients hold
    const second = await client.request('get_contacts', { sessionId: SESSION, limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ contacts: [{ id: SAVED[2] }], nextCursor: null });
    await expect(client.request('get_contacts', { sessionId: SESSION, cursor: 'bm90LW91cnM' })).rejects.toMatchObject({
      code: 'invalid_payload',
    });
    await expect(client.request('get_contacts', { sessionId: SESSION, limit: 501 })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});

describe('blocking', () => {
  it('blocks and unblocks a person: the blocklist and the contact list follow', async () => {
    const client = await connected();
    await expect(client.request('block_contact', { sessionId: SESSION, contactId: `+${PEER}` })).resolves.toEqual({
      sessionId: SESSION,
      contactId: `+${PEER}`,
      isBlocked: true,
    });
    const { contacts: blocked } = await client.request('get_blocked_contacts', { sessionId: SESSION });
    expect(blocked).toEqual([expect.objectContaining({ id: `${PEER}@c.us`, isBlocked: true })]);
    const { contacts } = await client.request('get_contacts', { sessionId: SESSION });
    expect(contacts.find((contact) => contact.id === `${PEER}@c.us`)).toMatchObject({ isBlocked: true });
    // The same person by LID is the same person.
    await client.request('unblock_contact', { sessionId: SESSION, contactId: PEER_LID });
    await expect(client.request('get_blocked_contacts', { sessionId: SESSION })).resolves.toEqual({ sessionId: SESSION, contacts: [] });
  });

  it('keeps the blocklist per session', async () => {
    const client = await connected();
    const other = nextEvent(client, 'session_connected', (payload) => payload.sessionId === 'other');
    await client.startSession('other');
    await other;
    await client.request('block_contact', { sessionId: SESSION, contactId: PEER });
    await expect(client.request('get_blocked_contacts', { sessionId: 'other' })).resolves.toMatchObject({ contacts: [] });
  });

  it.each([
    ['not_on_whatsapp', '6282284316000'],
    ['invalid_number', '120363021234567890@g.us'],
    ['invalid_number', 'not a number'],
  ])('refuses %s for %s', async (code, contactId) => {
    const client = await connected();
    await expect(client.request('block_contact', { sessionId: SESSION, contactId })).rejects.toMatchObject({ code });
    await expect(client.request('unblock_contact', { sessionId: SESSION, contactId })).rejects.toMatchObject({ code });
  });
});

describe('resolve_contact', () => {
  it('answers both addresses from a number, a phone-number id or a LID', async () => {
    const client = await connected();
    const both = { phoneId: `${PEER}@c.us`, number: PEER, lid: PEER_LID };
    for (const id of [PEER, `${PEER}@c.us`, PEER_LID]) {
      await expect(client.request('resolve_contact', { sessionId: SESSION, id })).resolves.toEqual({ sessionId: SESSION, id, ...both });
    }
  });

  it('leaves the number null for a LID whose number it does not know', async () => {
    const client = await connected();
    await expect(client.request('resolve_contact', { sessionId: SESSION, id: '123456789@lid' })).resolves.toEqual({
      sessionId: SESSION,
      id: '123456789@lid',
      phoneId: null,
      number: null,
      lid: '123456789@lid',
    });
  });

  it('refuses not_on_whatsapp and invalid_number', async () => {
    const client = await connected();
    await expect(client.request('resolve_contact', { sessionId: SESSION, id: '6282284316000' })).rejects.toMatchObject({
      code: 'not_on_whatsapp',
    });
    await expect(client.request('resolve_contact', { sessionId: SESSION, id: '120363021234567890@g.us' })).rejects.toMatchObject({
      code: 'invalid_number',
      message: `"120363021234567890@g.us" is a group; give a person's number, …@c.us or …@lid`,
    });
  });

  it('refuses session_not_connected before the QR is scanned', async () => {
    const client = await notConnected();
    for (const [event, payload] of [
      ['resolve_contact', { sessionId: SESSION, id: PEER }],
      ['get_contacts', { sessionId: SESSION }],
      ['block_contact', { sessionId: SESSION, contactId: PEER }],
    ] as const) {
      await expect(client.request(event, payload)).rejects.toMatchObject({ code: 'session_not_connected' });
    }
  });
});
