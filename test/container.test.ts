/**
 * The container setup, checked from its files: no Docker engine runs where this project is
 * developed, so the image is never built here. What can run does: the Dockerfile's own prune
 * command (dry run, on this checkout's node_modules) and the configuration the image and
 * `docker run --env-file .env` would give the gateway.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../src/config';
import { launchArgs } from '../src/engines/wwebjs/browser';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
/** Dockerfile instructions, continuation lines joined, comments dropped. */
const instructions = read('Dockerfile')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'));
const runtime = instructions.slice(instructions.reduce((last, line, index) => (line.startsWith('FROM ') ? index : last), 0));
const instruction = (name: string) =>
  runtime.filter((line) => line.startsWith(`${name} `)).map((line) => line.slice(name.length + 1).trim());
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Record<string, unknown>> };
const service = compose.services['whatsapp-gateway']!;

/** `ENV A=1 B=2` lines of the runtime stage, as an environment. */
function imageEnv(): Record<string, string> {
  const pairs = instruction('ENV').flatMap((line) => line.split(/\s+/).filter(Boolean));
  return Object.fromEntries(pairs.map((pair) => pair.split('=') as [string, string]));
}

/** What `docker run --env-file .env` passes: every NAME=value line; `#` lines are comments to Docker. */
function envFile(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(([, name, value]) => [name!, value!]));
}

describe('docker-compose.yml', () => {
  it("leaves reaping to the image's tini and sets no shm_size, which --disable-dev-shm-usage makes moot", () => {
    expect(service.init).toBeUndefined();
    expect(instruction('ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]']);
    expect(service.shm_size).toBeUndefined();
    expect(launchArgs([])).toContain('--disable-dev-shm-usage');
  });

  it('publishes PORT on 127.0.0.1 unless PUBLISH_ADDRESS says otherwise', () => {
    expect(service.ports).toEqual(['${PUBLISH_ADDRESS:-127.0.0.1}:${PORT:-3000}:${PORT:-3000}']);
    expect(configSchema.shape).not.toHaveProperty('PUBLISH_ADDRESS'); // compose's, not the gateway's
  });

  it('sets what the container needs over whatever .env says', () => {
    expect(service.env_file).toBe('.env');
    expect(service.environment).toEqual({ HOST: '0.0.0.0', DATA_DIR: '/data/auth', MEDIA_DIR: '/data/media' });
  });

  it('gives the gateway SHUTDOWN_GRACE_MS plus 15 s to stop before Docker kills it', () => {
    const seconds = Number(/^(\d+)s$/.exec(String(service.stop_grace_period))?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(loadConfig({}).SHUTDOWN_GRACE_MS / 1000 + 15);
  });
});

describe('Dockerfile', () => {
  it('declares only DATA_DIR (the logins and the store) as a volume: /data/media is an input', () => {
    expect(instruction('VOLUME')).toEqual(['["/data/auth"]']);
    expect(imageEnv().DATA_DIR).toBe('/data/auth');
  });

  it('can compile better-sqlite3 in the build stage, before npm ci, and ships no compiler', () => {
    const build = instructions.slice(0, instructions.length - runtime.length);
    const compilers = build.findIndex((line) => /apt-get install .*python3.*make.*g\+\+/.test(line));
    expect(compilers).toBeGreaterThan(-1);
    expect(compilers).toBeLessThan(build.findIndex((line) => line.startsWith('RUN npm ci')));
    expect(runtime.some((line) => /g\+\+|python3/.test(line))).toBe(false);
  });

  it('runs the healthcheck that asks the container address on PORT', () => {
    expect(instruction('HEALTHCHECK')).toEqual(['--interval=30s --timeout=5s --start-period=20s CMD ["node", "dist/src/healthcheck.js"]']);
  });

  it('gives a gateway started with `docker run --env-file .env` (from .env.example) absolute folders and every interface', () => {
    const config = loadConfig({ ...imageEnv(), ...envFile(read('.env.example')) });
    expect(config).toMatchObject({ HOST: '0.0.0.0', dataDir: '/data/auth', mediaDir: '/data/media', PORT: 3000 });
  });

  it("prunes typescript (a devOptional peer of puppeteer's cosmiconfig) and no production dependency", () => {
    const prune = instructions.find((line) => line.includes('npm prune'));
    const args =
      /npm (prune[^&]*)/
        .exec(prune ?? '')?.[1]
        ?.trim()
        .split(/\s+/) ?? [];
    expect(args[0]).toBe('prune');
    const removed = execFileSync('npm', [...args, '--dry-run', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((line) => /^remove (\S+) /.exec(line)?.[1])
      .filter(Boolean);
    expect(removed).toContain('typescript');
    const dependencies = Object.keys((JSON.parse(read('package.json')) as { dependencies: object }).dependencies);
    expect(removed.filter((name) => dependencies.includes(name!))).toEqual([]);
  }, 60_000);
});
