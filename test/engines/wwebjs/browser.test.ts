import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import puppeteer from 'puppeteer';
import {
  browserCandidates,
  clearStaleProfileLock,
  findBrowser,
  keepPipeErrorsHandled,
  killProcessGroup,
  launchArgs,
} from '../../../src/engines/wwebjs/browser';
import { GatewayError } from '../../../src/protocol/errors';
import { readProc } from '../../../double/processes';
import { runningInGroup } from '../../support/processes';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wwebjs-browser-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string, mode: number): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, '#!/bin/sh\n', { mode });
  return target;
}

describe('findBrowser', () => {
  it('takes the first candidate that is an executable file', () => {
    const missing = path.join(dir, 'missing');
    const notExecutable = file('plain', 0o644);
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    const first = file('chromium', 0o755);
    const second = file('google-chrome', 0o755);
    expect(findBrowser(undefined, [missing, notExecutable, folder, first, second])).toBe(first);
  });

  it('prefers CHROME_PATH over every candidate', () => {
    const configured = file('my-chrome', 0o755);
    expect(findBrowser(configured, [file('chromium', 0o755)])).toBe(configured);
  });

  it('fails loudly on a CHROME_PATH that does not exist instead of using another browser', () => {
    const call = () => findBrowser(path.join(dir, 'typo'), [file('chromium', 0o755)]);
    expect(call).toThrow(GatewayError);
    expect(call).toThrow(/CHROME_PATH=.*typo/);
  });

  it('says how to install a browser when there is none', () => {
    const call = () => findBrowser(undefined, [path.join(dir, 'chromium')]);
    expect(call).toThrow(expect.objectContaining({ code: 'browser_not_found' }));
    expect(call).toThrow(/apt-get install -y chromium.*CHROME_PATH/);
  });

  it('searches the distribution paths, then the browser puppeteer downloads', () => {
    expect(browserCandidates()).toEqual([
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      puppeteer.executablePath(),
    ]);
  });
});

describe('launchArgs', () => {
  it('puts CHROME_ARGS after the container-safe, lean defaults', () => {
    const args = launchArgs(['--proxy-server=http://proxy:3128']);
    expect(args.slice(0, 3)).toEqual(['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu']);
    expect(args).toContain('--js-flags=--max-old-space-size=256');
    expect(args.at(-1)).toBe('--proxy-server=http://proxy:3128');
  });
});

describe('clearStaleProfileLock', () => {
  const LOCK_FILES = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

  function lockedBy(owner: string): void {
    fs.symlinkSync(owner, path.join(dir, 'SingletonLock'));
    fs.symlinkSync('/tmp/nowhere/socket', path.join(dir, 'SingletonSocket'));
    fs.symlinkSync('1234567890', path.join(dir, 'SingletonCookie'));
  }

  function remaining(): string[] {
    return fs.readdirSync(dir).filter((name) => LOCK_FILES.includes(name));
  }

  it('removes a lock taken on another host (a recreated container)', () => {
    lockedBy(`old-container-${process.pid}`);
    expect(clearStaleProfileLock(dir, 'new-container')).toBe(true);
    expect(remaining()).toEqual([]);
  });

  it('removes a lock of this host whose process is gone', () => {
    const deadPid = spawnSync('true').pid;
    lockedBy(`${os.hostname()}-${deadPid}`);
    expect(clearStaleProfileLock(dir)).toBe(true);
    expect(remaining()).toEqual([]);
  });

  it('removes a lock of this host whose process was killed and never reaped (a zombie)', async () => {
    // sh starts a short sleep, then becomes a long sleep, which never reaps the short one once it exits.
    const parent = spawn('sh', ['-c', 'sleep 0.5 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(String(chunk)))));
      await vi.waitFor(() => expect(readProc(zombie)?.state).toBe('Z'), { timeout: 5000 });
      lockedBy(`${os.hostname()}-${zombie}`);
      expect(clearStaleProfileLock(dir)).toBe(true);
      expect(remaining()).toEqual([]);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('keeps a lock held by a live process of this host', () => {
    lockedBy(`${os.hostname()}-${process.pid}`);
    expect(clearStaleProfileLock(dir)).toBe(false);
    expect(remaining().sort()).toEqual([...LOCK_FILES].sort());
  });

  it('copes with hostnames that contain dashes', () => {
    lockedBy(`my-host-name-${process.pid}`);
    expect(clearStaleProfileLock(dir, 'my-host-name')).toBe(false);
  });

  it('does nothing without a lock, or without a profile at all', () => {
    expect(clearStaleProfileLock(dir)).toBe(false);
    expect(clearStaleProfileLock(path.join(dir, 'never-launched'))).toBe(false);
  });
});

describe('killProcessGroup', () => {
  it('kills a detached process and everything it started', async () => {
    const leader = spawn('sh', ['-c', 'sleep 60 & sleep 60'], { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => leader.once('spawn', resolve));
    const exited = new Promise((resolve) => leader.once('exit', (_code, signal) => resolve(signal)));
    killProcessGroup(leader.pid!);
    expect(await exited).toBe('SIGKILL');
    await vi.waitFor(() => expect(runningInGroup(leader.pid!)).toEqual([]));
  });

  it('ignores a group that no longer exists', () => {
    expect(() => killProcessGroup(spawnSync('true').pid)).not.toThrow();
  });
});

describe('keepPipeErrorsHandled', () => {
  it('hands a failed write to the pipe of a browser that died to its listener instead of throwing it', async () => {
    // Like puppeteer's pipe transport: fd 3 is the pipe the gateway writes to; the browser is killed
    // while a write is still on its way.
    const browser = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    await new Promise((resolve) => browser.once('spawn', resolve));
    const errors: Error[] = [];
    keepPipeErrorsHandled(browser, (error) => errors.push(error));
    (browser.stdio[3] as NodeJS.WritableStream).write(Buffer.alloc(4 << 20));
    browser.kill('SIGKILL');
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    for (const error of errors) expect((error as NodeJS.ErrnoException).code).toMatch(/^(EPIPE|ECONNRESET)$/);
  });
});
