/** /healthz says the process lives; /readyz says it can serve: storage writable, browser present when needed. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engines/engine';
import { toGatewayError } from '../protocol/errors';

export interface ReadinessReport {
  ready: boolean;
  checks: { storage: string; browser: string };
}

export async function checkReadiness(dataDir: string, engine: Engine): Promise<ReadinessReport> {
  const storage = await checkWritable(dataDir);
  const browser = checkBrowser(engine);
  return { ready: storage === 'ok' && browser === 'ok', checks: { storage, browser } };
}

async function checkWritable(dir: string): Promise<string> {
  const probe = path.join(dir, `.ready-${process.pid}`);
  try {
    await fs.writeFile(probe, '');
    await fs.rm(probe);
    return 'ok';
  } catch (error) {
    return `DATA_DIR is not writable: ${(error as Error).message}`;
  }
}

function checkBrowser(engine: Engine): string {
  try {
    engine.assertCanStart();
    return 'ok';
  } catch (error) {
    return toGatewayError(error).message;
  }
}
