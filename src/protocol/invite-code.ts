/**
 * Group invite codes as users write them: the bare code (`IpXwAJu4e371zcZdVfvb0w`) or a link
 * (`https://chat.whatsapp.com/<code>`, with or without the scheme, the older `/invite/` path, a
 * trailing slash or a query). See docs/decisions.md, "Group invites and membership requests".
 */
import { GatewayError } from './errors';

/** WhatsApp's codes are 22 letters and digits today (older ones 20–24); the sandbox's may hold `-` and `_` too. */
const CODE = /^[A-Za-z0-9_-]{16,32}$/;
const LINK = /^(?:https?:\/\/)?chat\.whatsapp\.com\/(?:invite\/)?([^/?#\s]+)\/?(?:[?#].*)?$/i;

const INVITE_LINK_PREFIX = 'https://chat.whatsapp.com/';

export const inviteLinkOf = (code: string): string => `${INVITE_LINK_PREFIX}${code}`;

/** The code in a bare code or a chat.whatsapp.com link; throws `invalid_invite` for anything else. */
export function toInviteCode(input: string): string {
  const trimmed = input.trim();
  const code = LINK.exec(trimmed)?.[1] ?? trimmed;
  if (CODE.test(code)) return code;
  throw new GatewayError(
    'invalid_invite',
    `"${input.slice(0, 80)}" is not a group invite: give the code (22 letters and digits) or its https://chat.whatsapp.com/<code> link`,
  );
}
