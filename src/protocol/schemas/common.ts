/** What every family uses: session ids, the empty payload, text bounds, error codes, and the gateway-wide events. */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors';
import { loggedEvent } from './fields';

/** LocalAuth's own rule for client ids, so an id is always a safe folder name. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const sessionIdSchema = z
  .string()
  .regex(SESSION_ID_PATTERN, 'must be 1-64 characters: letters, digits, "_" or "-"')
  .describe('Session id, unique per WhatsApp account.');

export const sessionRefSchema = z.object({ sessionId: sessionIdSchema });

export const noPayloadSchema = z.union([z.undefined(), z.null(), z.object({})]).describe('No payload (an empty object is accepted).');

export const TEXT_MAX_LENGTH = 65_536;

export const errorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

export const sessionErrorSchema = z.object({
  sessionId: z.string().optional(),
  event: z.string().optional().describe('The client event that failed, when the error answers one.'),
  message: z.string(),
  code: errorCodeSchema,
  ...loggedEvent,
});

export const gatewayShutdownSchema = z.object({
  graceMs: z.number().int().describe('How long queued messages still have to go out before the connection closes.'),
});
