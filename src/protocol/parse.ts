/** Reading client events by name: which there are, and a payload validated into its request's type. */
import type { z } from 'zod';
import { requests, type RequestName, type RequestPayload } from './events';

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];

export function parseRequest<E extends RequestName>(name: E, raw: unknown): z.ZodSafeParseResult<RequestPayload<E>> {
  // requests[name] is the schema of E's payload; TypeScript widens the indexed access to every schema.
  return requests[name].payload.safeParse(raw) as z.ZodSafeParseResult<RequestPayload<E>>;
}
