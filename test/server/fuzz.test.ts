/**
 * Hostile input: at least 200 generated bad payloads per client event. The
 * server must stay up, answer every acked request with a documented code
 * (Socket.IO passes on one answer per request, on both ends), and give the
 * memory back.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/client/gateway-client';
import { ERROR_CODES } from '../../src/protocol/errors';
import type { RequestName } from '../../src/protocol/events';
import { REQUEST_NAMES } from '../../src/protocol/parse';
import { nextEvent, rawRequest, startSandboxGateway, type TestGateway } from '../support/sandbox-gateway';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const PAYLOADS_PER_EVENT = 220;
const VALID: Record<RequestName, Record<string, unknown> | undefined> = {
  start_session: { sessionId: 'fuzz' },
  stop_session: { sessionId: 'fuzz-other' },
  logout_session: { sessionId: 'fuzz-other' },
  send_whatsapp_message: { sessionId: 'fuzz', to: '6282284316465', message: 'hi', type: 'text' },
  get_message_status: { sessionId: 'fuzz', clientMessageId: 'fuzz-1' },
  download_media: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X' },
  check_phone_number: { sessionId: 'fuzz', phoneNumber: '6282284316465' },
  get_profile_info: { sessionId: 'fuzz', phoneNumber: '6282284316465' },
  send_typing: { sessionId: 'fuzz', to: '6282284316465', isTyping: true },
  read_message: { sessionId: 'fuzz', messageKey: { remoteJid: '6282284316465@c.us', id: 'X', fromMe: false } },
  react_to_message: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X', emoji: '👍' },
  edit_message: { sessionId: 'fuzz', messageId: 'true_6282284316465@c.us_X', text: 'hi' },
  delete_message: { sessionId: 'fuzz', messageId: 'true_6282284316465@c.us_X', forEveryone: true },
  forward_message: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X', to: '6282284316466' },
  send_presence: { sessionId: 'fuzz', available: true },
  // contacts and own account (issue 15)
  get_contacts: { sessionId: 'fuzz', limit: 10 },
  block_contact: { sessionId: 'fuzz', contactId: '6282284316465' },
  unblock_contact: { sessionId: 'fuzz', contactId: '6282284316465' },
  get_blocked_contacts: { sessionId: 'fuzz' },
  resolve_contact: { sessionId: 'fuzz', id: '6282284316465' },
  set_display_name: { sessionId: 'fuzz', name: 'Fuzz' },
  set_about: { sessionId: 'fuzz', about: 'fuzzing' },
  set_profile_picture: { sessionId: 'fuzz', media: 'photo.jpg' },
  delete_profile_picture: { sessionId: 'fuzz' },
  get_own_profile: { sessionId: 'fuzz' },
  get_session_status: { sessionId: 'fuzz' },
  get_active_sessions: undefined,
  load_sessions_from_storage: undefined,
  get_available_sessions: undefined,
  subscribe: { sessionIds: '*', since: { fuzz: 0 } },
  // group invites (issue 15)
  get_invite_link: { sessionId: 'fuzz', groupId: '120363000000000001@g.us' },
  revoke_invite_link: { sessionId: 'fuzz', groupId: '120363000000000001@g.us' },
  join_group_by_invite: { sessionId: 'fuzz', code: 'AbCdEfGhIjKlMnOpQrStUv' },
  get_invite_info: { sessionId: 'fuzz', link: 'https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv' },
  get_membership_requests: { sessionId: 'fuzz', groupId: '120363000000000001@g.us' },
  approve_membership_requests: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', requesters: ['6282284316465'] },
  reject_membership_requests: { sessionId: 'fuzz', groupId: '120363000000000001@g.us' },
  sandbox_membership_request: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', requester: '6282284316465' },
  sandbox_inject_message: { sessionId: 'fuzz', from: '6282284316465', text: 'hi' },
  sandbox_inject_own_message: { sessionId: 'fuzz', to: '6282284316465', text: 'hi' },
  sandbox_edit_message: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X', text: 'hi' },
  sandbox_revoke_message: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X' },
  sandbox_react: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X', from: '6282284316465', emoji: '👍' },
  sandbox_vote: { sessionId: 'fuzz', messageId: 'false_6282284316465@c.us_X', voter: '6282284316465', selectedOptions: ['a'] },
  sandbox_call: { sessionId: 'fuzz', from: '6282284316465' },
  sandbox_queue_offline_message: { sessionId: 'fuzz', from: '6282284316465', text: 'hi' },
  // chats and history (issue 15)
  get_chats: { sessionId: 'fuzz', limit: 10 },
  fetch_messages: { sessionId: 'fuzz', chatId: '6282284316465@c.us', limit: 10 },
  archive_chat: { sessionId: 'fuzz', chatId: '6282284316465@c.us' },
  pin_chat: { sessionId: 'fuzz', chatId: '6282284316465@c.us', pinned: false },
  mute_chat: { sessionId: 'fuzz', chatId: '6282284316465@c.us', muted: true },
  mark_chat_unread: { sessionId: 'fuzz', chatId: '6282284316465@c.us' },
  clear_chat: { sessionId: 'fuzz', chatId: '6282284316465@c.us' },
  delete_chat: { sessionId: 'fuzz', chatId: '6282284316465@c.us' },
  // groups (issue 15)
  create_group: { sessionId: 'fuzz', name: 'g', participants: ['6282284316465'] },
  get_group_info: { sessionId: 'fuzz', groupId: '120363000000000001@g.us' },
  update_group: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', name: 'g' },
  set_group_picture: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', media: 'picture.jpg' },
  add_participants: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', participants: ['6282284316465'] },
  remove_participants: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', participants: ['6282284316465'] },
  promote_participants: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', participants: ['6282284316465'] },
  demote_participants: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', participants: ['6282284316465'] },
  leave_group: { sessionId: 'fuzz', groupId: '120363000000000001@g.us' },
  get_common_groups: { sessionId: 'fuzz', contactId: '6282284316465' },
  sandbox_group_event: { sessionId: 'fuzz', groupId: '120363000000000001@g.us', action: 'join', participants: ['6282284316465'] },
  sandbox_added_to_group: { sessionId: 'fuzz', name: 'g', by: '6282284316465' },
};

/** A small deterministic PRNG, so a failing payload can be reproduced. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

function deepObject(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

const HOSTILE_VALUES: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  'x'.repeat(200_000),
  '😀'.repeat(5000),
  '\u0000\u202e\ud800',
  '../../../../etc/passwd',
  'data:text/html;base64,PHNjcmlwdD4=',
  'https://169.254.169.254/latest/meta-data',
  [],
  [1, 'two', null],
  {},
  deepObject(500),
  JSON.parse('{"__proto__": {"polluted": "yes"}}'),
  { constructor: { prototype: { polluted: 'yes' } } },
  Buffer.alloc(2048, 1),
  { toString: 'not a function' },
];

function badPayloads(event: RequestName, count: number): unknown[] {
  const random = prng(event.length * 7919);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const base = VALID[event] ?? {};
  const fields = Object.keys(base).length ? Object.keys(base) : ['sessionId'];
  const payloads: unknown[] = [...HOSTILE_VALUES];
  while (payloads.length < count) {
    const payload: Record<string, unknown> = { ...base };
    const field = pick(fields);
    switch (Math.floor(random() * 4)) {
      case 0:
        payload[field] = pick(HOSTILE_VALUES);
        break;
      case 1:
        delete payload[field];
        payload[`extra${payloads.length}`] = pick(HOSTILE_VALUES);
        break;
      case 2:
        Object.assign(
          payload,
          JSON.parse(`{"__proto__": {"isAdmin": true}, "${field}": ${JSON.stringify(pick(HOSTILE_VALUES)) ?? 'null'}}`),
        );
        break;
      default:
        payload[field] = { nested: pick(HOSTILE_VALUES), [field]: pick(HOSTILE_VALUES) };
    }
    payloads.push(payload);
  }
  return payloads;
}

describe('fuzzing every client event', () => {
  let gateway: TestGateway;
  let client: GatewayClient;

  beforeAll(async () => {
    gateway = await startSandboxGateway({
      RATE_LIMIT_PER_SEC: '100000',
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_IP_PER_SEC: '100000',
      MEDIA_ALLOW_DATA: '1',
    });
    client = await gateway.client({ transports: ['websocket'], timeoutMs: 20_000 });
    const connected = nextEvent(client, 'session_connected');
    await client.startSession('fuzz');
    await connected;
  });
  afterAll(() => gateway.shutdown());

  it('answers each of 200+ bad payloads per event with a documented code, and gives memory back', async () => {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const codes = new Set(Object.keys(ERROR_CODES));
    let refused = 0;
    for (const event of REQUEST_NAMES) {
      const payloads = badPayloads(event, PAYLOADS_PER_EVENT);
      expect(payloads.length).toBeGreaterThanOrEqual(200);
      const answers = await Promise.all(payloads.map((payload) => rawRequest(client, event, payload)));
      for (const [index, answer] of answers.entries()) {
        expect(answer, `${event} #${index}`).toMatchObject({ ok: expect.any(Boolean) });
        const response = answer as { ok: boolean; error?: { code: string } };
        if (!response.ok) {
          refused += 1;
          expect(codes.has(response.error!.code), `${event} #${index}: ${response.error!.code}`).toBe(true);
        }
      }
    }
    expect(refused).toBeGreaterThan(REQUEST_NAMES.length * 150);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(await client.getSessionStatus('fuzz')).toMatchObject({ status: 'connected' });

    // The last answers leave socket buffers and timers behind for a moment: collect until they are gone.
    await vi.waitFor(
      () => {
        gc();
        expect((process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024).toBeLessThan(30);
      },
      { timeout: 5000, interval: 100 },
    );
  }, 120_000);
});

describe('floods', () => {
  it('answers excess events rate_limited, then closes the transport of a connection that keeps going, which comes back by itself', async () => {
    const gateway = await startSandboxGateway({ RATE_LIMIT_PER_SEC: '10', RATE_LIMIT_BURST: '20', RATE_LIMIT_STRIKES: '50' });
    try {
      const client = await gateway.client({ transports: ['websocket'], socketOptions: { reconnectionDelay: 100 } });
      const disconnected = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
      const answers: Array<{ ok: boolean; error?: { code: string } }> = [];
      for (let i = 0; i < 200; i += 1) client.socket.emit('get_active_sessions', (answer) => answers.push(answer as never));
      expect(await disconnected).toBe('transport close');
      expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(20);
      expect(answers.filter((a) => a.error?.code === 'rate_limited').length).toBe(50);

      // socket.io-client reconnects after a transport close (it would not after 'io server disconnect').
      await new Promise<void>((resolve) => client.socket.once('connect', resolve));
      expect(await client.getActiveSessions()).toEqual([]);
    } finally {
      await gateway.shutdown();
    }
  });
});
