/**
 * set_display_name, set_about, set_profile_picture, delete_profile_picture and get_own_profile through
 * the API (sandbox): changes kept per session, the media rules of a send, and what is refused.
 */
import { describe, expect, it } from 'vitest';
import { sandboxPhoneNumber } from '../../src/engines/sandbox/sandbox-world';
import { sandboxGatewayPerTest } from '../support/sandbox-gateway';

const SESSION = 'account';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const { connected, notConnected } = sandboxGatewayPerTest(SESSION);

const phoneNumber = sandboxPhoneNumber(SESSION);
const ownLid = `2${phoneNumber.padStart(14, '0').split('').reverse().join('')}@lid`;

describe('the own profile', () => {
  it('starts with the sandbox number, name and about text, and no picture', async () => {
    const client = await connected();
    await expect(client.request('get_own_profile', { sessionId: SESSION })).resolves.toEqual({
      sessionId: SESSION,
      phoneNumber,
      lid: ownLid,
      displayName: `Sandbox ${SESSION}`,
      about: 'Hey there! I am using WhatsApp.',
      profilePicUrl: null,
    });
  });

  it('keeps a new display name, about text and picture, and forgets a deleted picture', async () => {
    const client = await connected();
    await expect(client.request('set_display_name', { sessionId: SESSION, name: '  Support Bot ' })).resolves.toEqual({
      sessionId: SESSION,
      name: 'Support Bot',
    });
    await expect(client.request('set_about', { sessionId: SESSION, about: 'Answers in minutes' })).resolves.toEqual({
      sessionId: SESSION,
      about: 'Answers in minutes',
    });
    await expect(client.request('set_profile_picture', { sessionId: SESSION, media: 'photo.jpg' })).resolves.toEqual({
      sessionId: SESSION,
      mimetype: 'image/jpeg',
      size: 'fixture photo.jpg'.length,
    });
    const profile = await client.request('get_own_profile', { sessionId: SESSION });
    expect(profile).toMatchObject({ displayName: 'Support Bot', about: 'Answers in minutes' });
    expect(profile.profilePicUrl).toMatch(new RegExp(`^https://sandbox\\.invalid/profile-pictures/${SESSION}/[0-9a-f]{16}\\.jpg$`));
    await expect(client.request('delete_profile_picture', { sessionId: SESSION })).resolves.toEqual({ sessionId: SESSION });
    await expect(client.request('get_own_profile', { sessionId: SESSION })).resolves.toMatchObject({ profilePicUrl: null });
  });

  it('takes the picture from inline data when the gateway allows it', async () => {
    const client = await connected({ MEDIA_ALLOW_DATA: '1' });
    const media = { data: PNG, mimetype: 'image/png', fileName: 'dot.png' };
    await expect(client.request('set_profile_picture', { sessionId: SESSION, media })).resolves.toMatchObject({ mimetype: 'image/png' });
  });
});

describe('refused with a stable code', () => {
  it('profile_update_refused: deleting a picture there is none of', async () => {
    const client = await connected();
    await expect(client.request('delete_profile_picture', { sessionId: SESSION })).rejects.toMatchObject({
      code: 'profile_update_refused',
    });
  });

  it.each([
    ['unsupported_type', 'report.pdf'],
    ['media_not_found', 'missing.jpg'],
    ['media_forbidden', '../outside.jpg'],
  ])('%s for a picture at %s, as for a send', async (code, media) => {
    const client = await connected();
    await expect(client.request('set_profile_picture', { sessionId: SESSION, media })).rejects.toMatchObject({ code });
    await expect(client.request('get_own_profile', { sessionId: SESSION })).resolves.toMatchObject({ profilePicUrl: null });
  });

  it('media_forbidden for inline data and URLs on a gateway that does not allow them', async () => {
    const client = await connected();
    for (const media of [{ data: PNG, mimetype: 'image/png' }, 'https://example.com/p.png']) {
      await expect(client.request('set_profile_picture', { sessionId: SESSION, media })).rejects.toMatchObject({ code: 'media_forbidden' });
    }
  });

  it('media_too_large for a picture over MEDIA_MAX_BYTES', async () => {
    const client = await connected({ MEDIA_MAX_BYTES: '4' });
    await expect(client.request('set_profile_picture', { sessionId: SESSION, media: 'photo.jpg' })).rejects.toMatchObject({
      code: 'media_too_large',
    });
  });

  it.each([
    ['set_display_name', { name: 'x'.repeat(26) }],
    ['set_display_name', { name: '   ' }],
    ['set_about', { about: 'x'.repeat(140) }],
  ] as const)('invalid_payload: %s with %j', async (event, fields) => {
    const client = await connected();
    await expect(client.request(event, { sessionId: SESSION, ...fields } as never)).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(client.request('get_own_profile', { sessionId: SESSION })).resolves.toMatchObject({
      displayName: `Sandbox ${SESSION}`,
      about: 'Hey there! I am using WhatsApp.',
    });
  });

  it('session_not_connected before the QR is scanned', async () => {
    const client = await notConnected();
    await expect(client.request('set_about', { sessionId: SESSION, about: 'x' })).rejects.toMatchObject({ code: 'session_not_connected' });
  });
});
