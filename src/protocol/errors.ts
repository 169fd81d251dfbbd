/**
 * Every error the gateway reports carries one of these stable codes. The
 * descriptions are published in docs/protocol.md; change a code only with a
 * major version.
 */
export const ERROR_CODES = {
  invalid_payload: 'The payload does not match the event schema; the message names the field.',
  session_not_found: 'No active (or stored, where that is enough) session has this id.',
  session_exists:
    'Not sent any more: requests for one session id now wait for the ones before them (kept so that clients handling it keep working).',
  session_not_connected:
    'The session exists but is not connected to WhatsApp (still starting, waiting for a QR scan, reconnecting or stopped).',
  login_in_progress:
    'start_session asked for another way to log in (a pairing code, a code for another number, or a QR code) than the one the session is already waiting with; it keeps the way it was started: stop_session it, then start it the new way.',
  max_sessions: 'MAX_SESSIONS sessions are already active, or this API key already started MAX_SESSIONS_PER_KEY.',
  invalid_number: 'The phone number or chat id is not in a recognised format.',
  not_on_whatsapp: 'The number is well formed but has no WhatsApp account.',
  media_not_found: 'The media file does not exist (or is not a regular file).',
  media_forbidden:
    'The media path resolves outside MEDIA_DIR, or the source (URL, inline data) is disabled or points at a forbidden address.',
  media_too_large:
    'The media is bigger than MEDIA_MAX_BYTES (default: WhatsApp\'s own limit for the type); for download_media, the file is over MEDIA_DOWNLOAD_MAX_BYTES, or (with `as: "data"`) its base64 would not fit in one message of MAX_PAYLOAD_BYTES.',
  media_download_failed: 'A media URL could not be downloaded (status, timeout or too many redirects).',
  media_read_failed:
    'A media file could not be read when its message was sent (an I/O error, or MEDIA_READ_TIMEOUT_MS passed); the message was not sent.',
  unsupported_type: 'The media type is not allowed for the requested message type, or the type itself is unknown.',
  browser_not_found: 'No Chromium/Chrome executable was found for the wwebjs engine.',
  start_timeout: 'The session did not show a QR code or connect within START_TIMEOUT_MS.',
  storage_failed:
    "DATA_DIR cannot store the session's login: less than DATA_DIR_MIN_FREE_MB free, or a write failed (disk full, read-only). The session ends `failed`; free space and start it again.",
  not_supported: 'The request is not supported by the running engine (for example sandbox_inject_message on wwebjs).',
  queue_full: "The session's send queue is full (SEND_QUEUE_MAX); nothing was queued, retry later.",
  rate_limited:
    'This connection, its API key or its address sends events faster than allowed (RATE_LIMIT_PER_SEC, RATE_LIMIT_KEY_PER_SEC, RATE_LIMIT_IP_PER_SEC); the request was not carried out: slow down and retry it (persisting gets the connection closed).',
  session_stopped: 'The session stopped or logged out before the request could be carried out.',
  browser_closed: "The session's browser died and did not come back within SEND_RETRY_WINDOW_MS; the message was not sent.",
  send_unconfirmed:
    'WhatsApp Web took the message but its outcome could not be confirmed (no id came back, or the page stopped answering mid-send): it may have gone out. Do not send it again blindly; a retry with the same clientMessageId answers this again and never sends twice.',
  recipient_unreachable:
    'WhatsApp Web has no address (LID) for this number even after asking WhatsApp ("No LID for user"); the message was not sent. Retry later, or after the contact has written to you.',
  send_pending:
    'The message was accepted and is kept in the outbox, but the gateway is shutting down before it could go out: it is sent after the restart (within OUTBOX_MAX_AGE_MS). Do not send it again: its outcome arrives as message_sent or send_error with your clientMessageId (replayed when you resume with `since`), and get_message_status reports it meanwhile.',
  send_expired:
    'The message waited in the outbox longer than OUTBOX_MAX_AGE_MS (the session was not connected again in time, e.g. after a restart); it was not sent.',
  send_interrupted:
    'The gateway stopped (a crash or kill) while it was handing the message to WhatsApp, and the message was not found in the chat afterwards: it may or may not have gone out. It is never sent again by the gateway; check the chat before sending it again.',
  message_not_found:
    'No message with this clientMessageId or messageId was sent through this session within the receipts kept (24 h, SEND_IDEMPOTENCY_MAX); for react, edit, delete and forward: WhatsApp Web has no message with this messageId (never seen by this session, or deleted).',
  message_not_editable:
    'edit_message names a message this account did not send, that has no text or caption, or that is older than the 15 minutes WhatsApp allows for edits; it was not changed.',
  message_not_revocable:
    "delete_message with forEveryone names a message this account cannot revoke (someone else's outside a group you administer, or too old); nothing was deleted.",
  quoted_message_not_found:
    'The quotedMessageId of a send names no message WhatsApp Web has (never seen by this session, or deleted); the message was not sent.',
  media_unavailable:
    'download_media: WhatsApp Web has no media for this messageId (no such message in the session, a message without media, or media WhatsApp no longer keeps, e.g. expired on the phone).',
  group_not_found: 'No group with this id is known to this session (never joined, left, or deleted), or the id is not a group.',
  not_group_admin:
    'The request needs this account to be an admin of the group (its settings, picture, participants, invite link or membership requests); nothing was changed.',
  not_group_participant: 'This account is not (or no longer) a participant of the group; nothing was done.',
  group_full: "The group has reached WhatsApp's participant limit; nobody more can be added or join.",
  invalid_invite: 'The invite code or link is malformed, revoked, or expired; nothing was joined.',
  profile_update_refused:
    "WhatsApp Web refused to change this account's own profile (set_display_name, set_profile_picture, delete_profile_picture): the account may not change it, there was nothing to delete, or WhatsApp's server answered with an error; nothing was changed.",
  chat_not_found: 'This session has no chat with this id (WhatsApp Web does not know it); nothing was done.',
  chat_pin_limit: 'pin_chat: WhatsApp pins at most 3 chats and 3 are pinned already; unpin one first. Nothing was changed.',
  shutting_down: 'The gateway is shutting down and takes no new requests; reconnect to the restarted gateway.',
  engine_error: 'WhatsApp Web or the browser failed while carrying out the request; the message has the detail.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the client: it crosses the wire as `{ code, message }`. */
export class GatewayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** Libraries reject with Errors, strings or anything else; turn it into a GatewayError. */
export function toGatewayError(cause: unknown, fallback: ErrorCode = 'engine_error'): GatewayError {
  if (cause instanceof GatewayError) return cause;
  const message = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : 'unknown error';
  return new GatewayError(fallback, message);
}
