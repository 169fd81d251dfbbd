/** Invite codes as users paste them: bare, or in any of the chat.whatsapp.com link forms; anything else is invalid_invite. */
import { describe, expect, it } from 'vitest';
import { inviteLinkOf, toInviteCode } from '../../src/protocol/invite-code';

const CODE = 'IpXwAJu4e371zcZdVfvb0w';

describe('toInviteCode', () => {
  it.each([
    CODE,
    `  ${CODE}\n`,
    `https://chat.whatsapp.com/${CODE}`,
    `http://chat.whatsapp.com/${CODE}`,
    `chat.whatsapp.com/${CODE}`,
    `https://chat.whatsapp.com/invite/${CODE}`,
    `https://chat.whatsapp.com/${CODE}/`,
    `https://chat.whatsapp.com/${CODE}?utm_source=share`,
    `HTTPS://CHAT.WHATSAPP.COM/${CODE}`,
  ])('takes the code out of %j', (input) => {
    expect(toInviteCode(input)).toBe(CODE);
  });

  it.each([
    '',
    'short',
    'a'.repeat(33),
    'white space in the code!',
    'https://chat.whatsapp.com/',
    `https://example.com/${CODE}`,
    `https://chat.whatsapp.com.evil.example/${CODE}`,
    `https://wa.me/${CODE}`,
    `https://chat.whatsapp.com/${CODE}/extra`,
  ])('refuses %j with invalid_invite', (input) => {
    expect(() => toInviteCode(input)).toThrow(expect.objectContaining({ code: 'invalid_invite' }));
  });

  it('makes the link back', () => {
    expect(inviteLinkOf(CODE)).toBe(`https://chat.whatsapp.com/${CODE}`);
  });
});
