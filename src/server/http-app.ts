/** The HTTP side: the test console and other static files from public/, under the same CORS rule as the socket. */
import path from 'node:path';
import cors from 'cors';
import express from 'express';

export const PUBLIC_DIR = path.resolve(__dirname, '../../public');

export function createHttpApp(corsOrigins: string[]): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(cors({ origin: corsOrigins.includes('*') ? '*' : corsOrigins }));
  app.get('/', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'whatsapp-test.html')));
  app.use(express.static(PUBLIC_DIR));
  return app;
}
