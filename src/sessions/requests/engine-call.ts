/** Engines reject with Errors, strings or anything else: whatever leaves the session layer is a GatewayError. */
import { toGatewayError } from '../../protocol/errors';

export async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toGatewayError(error);
  }
}
