/** Sessions: start, stop, log out and list them; their statuses, QR and pairing codes. */
import * as s from '../schemas';
import type { ServerEventNotes, RequestSpecs } from './spec';

export const sessionsEvents = {
  session_status: s.sessionStatusSchema,
  qr_code: s.qrCodeSchema,
  pairing_code: s.pairingCodeSchema,
  session_connected: s.sessionConnectedSchema,
  session_disconnected: s.sessionDisconnectedSchema,
  active_sessions: s.activeSessionsSchema,
  sessions_loaded: s.sessionsLoadedSchema,
  available_sessions: s.availableSessionsSchema,
} as const;

export const sessionsEventNotes = {
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
  active_sessions: { summary: 'Answer to get_active_sessions.', delivery: 'the requesting connection' },
  sessions_loaded: { summary: 'Answer to load_sessions_from_storage.', delivery: 'the requesting connection' },
  available_sessions: { summary: 'Answer to get_available_sessions.', delivery: 'the requesting connection' },
} as const satisfies ServerEventNotes<typeof sessionsEvents>;

export const sessionsRequests = {
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
} as const satisfies RequestSpecs;
