/**
 * The HTTP side: the test console (public/), health and readiness probes,
 * links to downloaded media (media-route.ts) and Prometheus metrics, under
 * the same CORS rule as the socket. /metrics names
 * every session, so it is open only while the socket is (no API key, no
 * METRICS_TOKEN); otherwise it wants `Authorization: Bearer <token>` with
 * METRICS_TOKEN or an API key that may see every session, and a wrong token
 * counts as a failed authentication of the caller's address.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { timingSafeEqual, createHash } from 'node:crypto';
import cors from 'cors';
import express from 'express';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from '../observability/health';
import type { ApiKeys } from './api-keys';
import type { AuthFailures } from './auth-failures';
import { clientAddress } from './client-address';
import { serveMediaLinks } from './media-route';
import type { MediaLinks } from '../media/media-links';

/** public/ at the project root, whether this runs from src/ (tsx) or from dist/src/ (built). */
const PUBLIC_DIR = path.join(projectRoot(__dirname), 'public');

function projectRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

interface HttpAppOptions {
  corsOrigins: string[];
  readiness: () => Promise<ReadinessReport>;
  metrics: Registry;
  metricsToken?: string;
  apiKeys: ApiKeys;
  authFailures: AuthFailures;
  mediaLinks: MediaLinks;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors({ origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await options.readiness();
    res.status(report.ready ? 200 : 503).json(report);
  });
  app.get('/metrics', async (req, res) => {
    if (options.metricsToken || options.apiKeys.required) {
      const address = clientAddress(req.socket.remoteAddress);
      if (options.authFailures.isBlocked(address)) {
        res.status(429).json({ error: 'too many failed authentications from this address; try again later' });
        return;
      }
      const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
      if (!token || !mayReadMetrics(token, options)) {
        options.authFailures.record(address, { via: 'metrics', reason: token ? 'wrong token' : 'no token' });
        res.status(401).json({ error: 'unauthorized' });
        return;
      }
    }
    res.type(options.metrics.contentType).send(await options.metrics.metrics());
  });
  serveMediaLinks(app, { links: options.mediaLinks, apiKeys: options.apiKeys, authFailures: options.authFailures });
  app.get('/', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'whatsapp-test.html')));
  app.use(express.static(PUBLIC_DIR));
  return app;
}

function mayReadMetrics(token: string, options: HttpAppOptions): boolean {
  const isMetricsToken = options.metricsToken !== undefined && sameSecret(token, options.metricsToken);
  return isMetricsToken || (options.apiKeys.required && options.apiKeys.authenticate(token)?.scope === '*');
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
