/** The HTTP side: the test console and other static files from public/. */
import path from 'node:path';
import express from 'express';

export const PUBLIC_DIR = path.resolve(__dirname, '../../public');

export function createHttpApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/', (_req, res) => res.sendFile(path.join(PUBLIC_DIR, 'whatsapp-test.html')));
  app.use(express.static(PUBLIC_DIR));
  return app;
}
