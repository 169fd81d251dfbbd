/** Sessions: start, stop, log out, list; their statuses, QR and pairing codes, connection and disconnection. */
import { z } from 'zod';
import { errorCodeSchema, sessionRefSchema } from './common';
import { loggedEvent, phoneNumber } from './fields';

export const SESSION_STATUSES = ['starting', 'qr', 'pairing', 'connected', 'reconnecting', 'disconnected', 'stopped', 'failed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
const REPORTED_STATUSES = [...SESSION_STATUSES, 'not_found'] as const;

/** What each status a session reports means; docs/protocol.md and the test console show these (plain text, no Markdown). */
export const SESSION_STATUS_MEANINGS = {
  starting: 'Opening WhatsApp Web.',
  qr: 'Waiting for the QR code to be scanned.',
  pairing: 'Waiting for the pairing code to be entered on the phone (started with a phoneNumber).',
  connected: 'Logged in to WhatsApp: ready to send and receive.',
  reconnecting: 'The connection was lost; the gateway is restarting the session.',
  disconnected:
    'Ended on its own: logged out from the phone, or no QR code was scanned (or pairing code entered) in time (session_disconnected says which).',
  stopped: 'Not running: stopped or logged out by request, or a stored login not started yet. A stop keeps the login, a logout deletes it.',
  failed: 'Could not start, or restarts did not bring it back; its error says why.',
  not_found: 'No session with this id is running, and no login with this id is stored.',
} as const satisfies Record<(typeof REPORTED_STATUSES)[number], string>;

export const reportedStatusSchema = z
  .enum(REPORTED_STATUSES)
  .meta({ 'x-enum-descriptions': REPORTED_STATUSES.map((status) => SESSION_STATUS_MEANINGS[status]) });

const DISCONNECT_REASONS = [
  'stopped',
  'logged_out',
  'connection_lost',
  'browser_closed',
  'qr_timeout',
  'ready_timeout',
  'start_failed',
  'shutdown',
] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** Checked for format later, like chat addresses, so a bad number answers `invalid_number`. */
export const startSessionSchema = sessionRefSchema.extend({
  phoneNumber: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      'Log in with a pairing code for this number (6282284316465, +62 822-8431-6465) instead of a QR code: pairing_code events follow instead of qr_code. Ignored when a stored login restores.',
    ),
});

export const sessionStatusSchema = z.object({
  sessionId: z.string(),
  status: reportedStatusSchema,
  isConnected: z.boolean(),
  queueDepth: z.number().int().optional().describe("Messages waiting in (or being sent by) the session's send queue."),
  phoneNumber: phoneNumber.optional(),
  pushname: z.string().optional(),
  webVersion: z.string().optional().describe("The WhatsApp Web version the session's page runs, once connected."),
  qrCode: z.string().optional().describe('Latest QR as a data:image/png;base64 URL while status is "qr".'),
  pairingCode: z.string().optional().describe('Latest pairing code while status is "pairing".'),
  error: z
    .object({ code: errorCodeSchema, message: z.string() })
    .optional()
    .describe('Why it failed, while status is "failed" (e.g. `browser_not_found` or `max_sessions` for a stored login restored at boot).'),
  ...loggedEvent,
});
export type SessionStatusPayload = z.infer<typeof sessionStatusSchema>;

const activeSessionSchema = sessionStatusSchema.omit({ qrCode: true, pairingCode: true, pushname: true, seq: true, replayed: true });

export const qrCodeSchema = z.object({
  sessionId: z.string(),
  qrCode: z.string().describe('data:image/png;base64 URL of the QR image.'),
  qr: z.string().describe('The raw QR string, for rendering it yourself.'),
  attempt: z.number().int().describe('1 for the first QR, then +1 per refresh.'),
});

export const pairingCodeSchema = z.object({
  sessionId: z.string(),
  code: z.string().describe('8 characters (e.g. 8W2WZ3TS), to enter in WhatsApp → Linked devices → Link with phone number.'),
  phoneNumber: phoneNumber.describe('The number the code is for: only its WhatsApp can enter it.'),
  attempt: z.number().int().describe('1 for the first code, then +1 per refresh.'),
});

export const sessionConnectedSchema = z.object({
  sessionId: z.string(),
  phoneNumber,
  pushname: z.string(),
  webVersion: sessionStatusSchema.shape.webVersion,
  ...loggedEvent,
});

export const sessionDisconnectedSchema = z.object({
  sessionId: z.string(),
  reason: z
    .enum(DISCONNECT_REASONS)
    .describe(
      'stopped / logged_out / shutdown: asked for (or logged out from the phone); connection_lost, browser_closed, ready_timeout (WhatsApp Web logged in but never became ready within WWEBJS_READY_TIMEOUT_MS): the session restarts; qr_timeout: no scan within QR_MAX_ATTEMPTS QR codes, or no pairing code entered within PAIRING_CODE_MAX_ATTEMPTS codes; start_failed: it could not start.',
    ),
  ...loggedEvent,
});

export const activeSessionsSchema = z.array(activeSessionSchema);

export const sessionsLoadedSchema = z.object({
  loaded: z.array(z.string()),
  alreadyActive: z.array(z.string()),
  failed: z
    .array(z.object({ sessionId: z.string(), code: errorCodeSchema, message: z.string() }))
    .describe('Stored logins that were not started, and why (e.g. `max_sessions`: a limit was reached); the others still loaded.'),
});

export const availableSessionsSchema = z.array(z.object({ sessionId: z.string(), isActive: z.boolean() }));
