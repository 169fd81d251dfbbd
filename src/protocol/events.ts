/**
 * The Socket.IO protocol as typed event maps, derived from the schemas.
 * `requests` says, for each client event, which payload it takes, which
 * server event answers it and which server event carries its errors;
 * `serverEventNotes` says what each server event means and who receives it.
 */
import type { z } from 'zod';
import type { ErrorCode } from './errors';
import * as s from './schemas';

export const serverEvents = {
  session_status: s.sessionStatusSchema,
  qr_code: s.qrCodeSchema,
  pairing_code: s.pairingCodeSchema,
  session_connected: s.sessionConnectedSchema,
  session_disconnected: s.sessionDisconnectedSchema,
  message_received: s.messageReceivedSchema,
  message_sent: s.messageSentSchema,
  message_ack: s.messageAckSchema,
  phone_check_result: s.phoneCheckResultSchema,
  profile_info: s.profileInfoSchema,
  typing_state: s.typingStateSchema,
  message_read: s.messageReadSchema,
  reaction_sent: s.reactionSentSchema,
  message_edit_sent: s.messageEditSentSchema,
  message_deleted: s.messageDeletedSchema,
  message_forwarded: s.messageForwardedSchema,
  presence_state: s.presenceStateSchema,
  active_sessions: s.activeSessionsSchema,
  sessions_loaded: s.sessionsLoadedSchema,
  available_sessions: s.availableSessionsSchema,
  subscribed: s.subscribedSchema,
  message_status: s.messageStatusSchema,
  media_downloaded: s.mediaDownloadedSchema,
  session_error: s.sessionErrorSchema,
  send_error: s.sendErrorSchema,
  phone_check_error: s.phoneCheckErrorSchema,
  gateway_shutdown: s.gatewayShutdownSchema,
  // receiving (issue 14)
  own_message: s.ownMessageSchema,
  message_edited: s.messageEditedSchema,
  message_revoked: s.messageRevokedSchema,
  message_reaction: s.messageReactionSchema,
  poll_vote: s.pollVoteSchema,
  call_received: s.callReceivedSchema,
} as const;

export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;
export type ErrorEventName = 'session_error' | 'send_error' | 'phone_check_error';

interface ServerEventNote {
  summary: string;
  /** Who receives it: the payload says what it is, not who gets it. */
  delivery: string;
}

/** What each server event means and who receives it, as published in docs/protocol.md. */
export const serverEventNotes = {
  session_status: {
    summary: 'Status of a session: pushed on every status change, and the answer to start_session and get_session_status.',
    delivery: 'session followers; the requesting connection',
  },
  qr_code: {
    summary:
      'A QR code to scan in WhatsApp → Linked devices; refreshed (attempt + 1) until scanned. start_session on a session waiting for its scan re-sends the latest one.',
    delivery: 'session followers',
  },
  pairing_code: {
    summary:
      'A pairing code to enter on the phone of `phoneNumber` (WhatsApp → Linked devices → Link with phone number), for a session started with a phoneNumber; refreshed (attempt + 1) until entered. start_session on a session waiting for it re-sends the latest one.',
    delivery: 'session followers',
  },
  session_connected: { summary: 'The session is logged in to WhatsApp and can send.', delivery: 'session followers' },
  session_disconnected: {
    summary: 'The session stopped, logged out or lost WhatsApp; `reason` says which. Also the answer to stop_session and logout_session.',
    delivery: 'session followers',
  },
  message_received: { summary: 'An incoming message; `read_message` takes its `key` or `id`.', delivery: 'session followers' },
  message_sent: {
    summary: 'WhatsApp accepted a message sent with send_whatsapp_message (also one sent from the outbox after a restart).',
    delivery: 'session followers; the requesting connection',
  },
  message_ack: {
    summary: 'Delivery progress of a sent message (server → device → read → played), by `messageId`.',
    delivery: 'session followers',
  },
  phone_check_result: { summary: 'Answer to check_phone_number.', delivery: 'the requesting connection' },
  profile_info: { summary: 'Answer to get_profile_info.', delivery: 'the requesting connection' },
  typing_state: { summary: 'Answer to send_typing.', delivery: 'the requesting connection' },
  message_read: { summary: 'Answer to read_message.', delivery: 'the requesting connection' },
  reaction_sent: {
    summary: 'Answer to react_to_message: WhatsApp Web took the reaction (or its removal).',
    delivery: 'the requesting connection',
  },
  message_edit_sent: { summary: 'Answer to edit_message: WhatsApp Web took the new text.', delivery: 'the requesting connection' },
  message_deleted: {
    summary: 'Answer to delete_message: deleted for everyone, or on this account only.',
    delivery: 'the requesting connection',
  },
  message_forwarded: { summary: 'Answer to forward_message: WhatsApp Web took the forward.', delivery: 'the requesting connection' },
  presence_state: { summary: 'Answer to send_presence.', delivery: 'the requesting connection' },
  active_sessions: { summary: 'Answer to get_active_sessions.', delivery: 'the requesting connection' },
  sessions_loaded: { summary: 'Answer to load_sessions_from_storage.', delivery: 'the requesting connection' },
  available_sessions: { summary: 'Answer to get_available_sessions.', delivery: 'the requesting connection' },
  subscribed: {
    summary: 'Answer to subscribe, once any replay it asked for was sent: `replayed` says what each session sent again.',
    delivery: 'the requesting connection',
  },
  message_status: { summary: 'Answer to get_message_status.', delivery: 'the requesting connection' },
  media_downloaded: {
    summary: 'Answer to download_media: the file base64 in `data`, or a link to it in `url` (until `expiresAt`).',
    delivery: 'the requesting connection',
  },
  session_error: {
    summary: 'A request failed (`event` names it), or a session failed to start (`event` is start_session).',
    delivery: 'the requesting connection; session followers for start failures',
  },
  send_error: {
    summary:
      'send_whatsapp_message failed, or a message accepted into the outbox ended without being sent (or with an unknown outcome); carries your `clientMessageId`.',
    delivery: 'the requesting connection; session followers too once the message had been accepted (it has a `seq` then)',
  },
  phone_check_error: { summary: 'check_phone_number failed.', delivery: 'the requesting connection' },
  gateway_shutdown: {
    summary:
      'The gateway is shutting down: queued messages have `graceMs` to go out, then the connection closes. Reconnect to the restarted gateway.',
    delivery: 'every connection',
  },
  // receiving (issue 14)
  own_message: {
    summary:
      'A message this account sent from its phone or another linked device (never one sent through the gateway: that is message_sent).',
    delivery: 'session followers',
  },
  message_edited: { summary: 'A message in one of the chats was edited (by its sender).', delivery: 'session followers' },
  message_revoked: { summary: 'A message was deleted for everyone.', delivery: 'session followers' },
  message_reaction: {
    summary: 'Someone (this account included) reacted to a message, changed or took back their reaction (`emoji` "").',
    delivery: 'session followers',
  },
  poll_vote: {
    summary: 'Someone voted in a poll, or changed their vote: `selectedOptions` is their whole current choice.',
    delivery: 'session followers',
  },
  call_received: {
    summary: 'Someone calls this account. With REJECT_CALLS the gateway then declines the call (and sends REJECT_CALLS_MESSAGE, if set).',
    delivery: 'session followers',
  },
} as const satisfies Record<ServerEventName, ServerEventNote>;

interface RequestSpec {
  payload: z.ZodType;
  success: ServerEventName;
  error: ErrorEventName;
  summary: string;
}

export const requests = {
  start_session: {
    payload: s.startSessionSchema,
    success: 'session_status',
    error: 'session_error',
    summary: 'Start (or resume) a session; QR codes (pairing codes with `phoneNumber`) and the connection follow as events. Idempotent.',
  },
  stop_session: {
    payload: s.sessionRefSchema,
    success: 'session_disconnected',
    error: 'session_error',
    summary: 'Stop a session and close its browser; the stored login is kept.',
  },
  logout_session: {
    payload: s.sessionRefSchema,
    success: 'session_disconnected',
    error: 'session_error',
    summary: 'Log the session out of WhatsApp and delete its stored login.',
  },
  send_whatsapp_message: {
    payload: s.sendMessageSchema,
    success: 'message_sent',
    error: 'send_error',
    summary:
      'Send a message (text, media, a sticker, a location, contact cards or a poll; any of them may reply to a message and mention numbers): kept in the outbox, then sent in order; answered once WhatsApp accepted it. A repeated clientMessageId answers the first outcome and never sends twice.',
  },
  get_message_status: {
    payload: s.getMessageStatusSchema,
    success: 'message_status',
    error: 'session_error',
    summary: 'Where a message sent through this session is: queued, sending, sent (with its latest ack), failed or unknown.',
  },
  download_media: {
    payload: s.downloadMediaSchema,
    success: 'media_downloaded',
    error: 'session_error',
    summary:
      'Download the file of a received media message: base64 in the answer when it fits in one message of MAX_PAYLOAD_BYTES (or when asked, `as: "data"`), else (or `as: "url"`) a short-lived link on the gateway. Files over MEDIA_DOWNLOAD_MAX_BYTES answer media_too_large.',
  },
  check_phone_number: {
    payload: s.phoneQuerySchema,
    success: 'phone_check_result',
    error: 'phone_check_error',
    summary: 'Tell whether a number has a WhatsApp account.',
  },
  get_profile_info: {
    payload: s.phoneQuerySchema,
    success: 'profile_info',
    error: 'session_error',
    summary: 'Name, about text and profile picture of a contact.',
  },
  send_typing: {
    payload: s.typingSchema,
    success: 'typing_state',
    error: 'session_error',
    summary: 'Show "typing…" or "recording audio…" in a chat, or clear it (`state`, or `isTyping`).',
  },
  react_to_message: {
    payload: s.reactSchema,
    success: 'reaction_sent',
    error: 'session_error',
    summary: 'React to a message with an emoji ("" removes the reaction); in the send queue, after the sends before it.',
  },
  edit_message: {
    payload: s.editSchema,
    success: 'message_edit_sent',
    error: 'session_error',
    summary: 'Change the text of a message this account sent (within 15 minutes); in the send queue, after the sends before it.',
  },
  delete_message: {
    payload: s.deleteSchema,
    success: 'message_deleted',
    error: 'session_error',
    summary: 'Delete a message for everyone (revoke) or on this account only; in the send queue, after the sends before it.',
  },
  forward_message: {
    payload: s.forwardSchema,
    success: 'message_forwarded',
    error: 'session_error',
    summary: 'Forward a message to another chat; in the send queue, after the sends before it.',
  },
  send_presence: {
    payload: s.presenceSchema,
    success: 'presence_state',
    error: 'session_error',
    summary: 'Show the account online (available) or offline.',
  },
  read_message: {
    payload: s.readMessageSchema,
    success: 'message_read',
    error: 'session_error',
    summary: 'Mark the chat of a received message as read.',
  },
  get_session_status: {
    payload: s.sessionRefSchema,
    success: 'session_status',
    error: 'session_error',
    summary: 'Current status of one session (status "not_found" for an unknown id).',
  },
  get_active_sessions: {
    payload: s.noPayloadSchema,
    success: 'active_sessions',
    error: 'session_error',
    summary: 'Every session running in this gateway.',
  },
  load_sessions_from_storage: {
    payload: s.noPayloadSchema,
    success: 'sessions_loaded',
    error: 'session_error',
    summary: 'Start every stored login that is not running yet, as sessions of the asking key (counted against MAX_SESSIONS_PER_KEY).',
  },
  get_available_sessions: {
    payload: s.noPayloadSchema,
    success: 'available_sessions',
    error: 'session_error',
    summary: 'Every stored login, and whether it is running.',
  },
  subscribe: {
    payload: s.subscribeSchema,
    success: 'subscribed',
    error: 'session_error',
    summary:
      'Choose whose session events this connection receives ("*" = all, the default); with `since`, first get the events you missed.',
  },
  sandbox_inject_message: {
    payload: s.injectMessageSchema,
    success: 'message_received',
    error: 'session_error',
    summary: 'Sandbox engine only: deliver an incoming message as if someone had written.',
  },
  // receiving (issue 14): the sandbox plays the other side
  sandbox_inject_own_message: {
    payload: s.injectOwnMessageSchema,
    success: 'own_message',
    error: 'session_error',
    summary: 'Sandbox engine only: a message this account sends from its phone, reported as own_message.',
  },
  sandbox_edit_message: {
    payload: s.simulateEditSchema,
    success: 'message_edited',
    error: 'session_error',
    summary: 'Sandbox engine only: its sender edits a message the sandbox knows (received, own or sent).',
  },
  sandbox_revoke_message: {
    payload: s.simulateRevokeSchema,
    success: 'message_revoked',
    error: 'session_error',
    summary: 'Sandbox engine only: its sender deletes a message for everyone.',
  },
  sandbox_react: {
    payload: s.simulateReactionSchema,
    success: 'message_reaction',
    error: 'session_error',
    summary: 'Sandbox engine only: someone reacts to a message.',
  },
  sandbox_vote: {
    payload: s.simulateVoteSchema,
    success: 'poll_vote',
    error: 'session_error',
    summary: 'Sandbox engine only: someone votes in a poll the sandbox knows.',
  },
  sandbox_call: {
    payload: s.simulateCallSchema,
    success: 'call_received',
    error: 'session_error',
    summary: 'Sandbox engine only: someone calls this account.',
  },
} as const satisfies Record<string, RequestSpec>;

export type RequestName = keyof typeof requests;
export type RequestInput<E extends RequestName> = z.input<(typeof requests)[E]['payload']>;
export type RequestPayload<E extends RequestName> = z.output<(typeof requests)[E]['payload']>;
export type RequestResult<E extends RequestName> = ServerPayload<(typeof requests)[E]['success']>;

export type AckResponse<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type Ack<E extends RequestName> = (response: AckResponse<RequestResult<E>>) => void;

type NoPayloadRequest = 'get_active_sessions' | 'load_sessions_from_storage' | 'get_available_sessions';

export type ClientToServerEvents = {
  [E in RequestName]: E extends NoPayloadRequest ? (ack?: Ack<E>) => void : (payload: RequestInput<E>, ack?: Ack<E>) => void;
};

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerPayload<E>) => void;
};
