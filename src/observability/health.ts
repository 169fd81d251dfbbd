/**
 * /healthz says the process lives; /readyz says it can serve: DATA_DIR has
 * DATA_DIR_MIN_FREE_MB free and takes a write, the browser is there when needed.
 */
import type { Engine } from '../engines/engine';
import { toGatewayError } from '../protocol/errors';
import type { SessionStorage } from '../storage/session-storage';

export interface ReadinessReport {
  ready: boolean;
  checks: { storage: string; browser: string };
}

export async function checkReadiness(storage: SessionStorage, engine: Engine): Promise<ReadinessReport> {
  const storageCheck = await storage.assertWritable().then(
    () => 'ok',
    (error: unknown) => toGatewayError(error).message,
  );
  const browser = checkBrowser(engine);
  return { ready: storageCheck === 'ok' && browser === 'ok', checks: { storage: storageCheck, browser } };
}

function checkBrowser(engine: Engine): string {
  try {
    engine.assertCanStart();
    return 'ok';
  } catch (error) {
    return toGatewayError(error).message;
  }
}
