/**
 * The double's contract with the installed whatsapp-web.js: everything the library (and the engine's own
 * page scripts) reads from WhatsApp Web on the gateway's paths must exist in the double, on every
 * profile. The list is read from the library's source (library-surface.ts), so an upgrade that reaches
 * for a new module or member fails here, by name, instead of passing silently. What the double leaves
 * out on purpose is listed below with the reason; an entry that no longer applies fails too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser, launchArgs } from '../../src/engines/wwebjs/browser';
import { hasBrowser } from '../../double/gateway';
import { DOUBLE_PROFILE_NAMES, DOUBLE_WEB_VERSION, prepareDoubleCache, type DoubleProfile } from '../../double/harness';
import { NOT_ON_OUR_PATHS, describeRead, excused, librarySurface, prefixes, type PageRead } from '../../double/library-surface';

const surface = librarySurface();

describe.skipIf(!hasBrowser)('the double against what the installed whatsapp-web.js reads from WhatsApp Web', () => {
  let browser: Browser;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-contract-'));

  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: findBrowser(process.env.CHROME_PATH), headless: true, args: launchArgs([]) });
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Which of `reads` the double's page lacks, on one profile. */
  async function missingOn(profile: DoubleProfile, reads: PageRead[]): Promise<PageRead[]> {
    const cache = prepareDoubleCache(path.join(root, profile), { profile });
    const html = fs.readFileSync(path.join(cache.webVersionCache.path, `${DOUBLE_WEB_VERSION}.html`), 'utf8');
    const page = await browser.newPage();
    try {
      await page.setRequestInterception(true);
      page.on('request', (request) => void request.respond({ status: 200, contentType: 'text/html', body: html }));
      await page.goto('https://web.whatsapp.com/');
      const present = await page.evaluate((all: PageRead[]) => {
        const has = (value: unknown, key: string) => value !== null && value !== undefined && key in Object(value);
        return all.map(({ module, member, sub }) => {
          try {
            const exported: unknown = window.require(module);
            if (!member) return true;
            if (!has(exported, member)) return false;
            return !sub || has((exported as Record<string, unknown>)[member], sub);
          } catch {
            return false;
          }
        });
      }, reads);
      return reads.filter((_, index) => !present[index]);
    } finally {
      await page.close();
    }
  }

  it('reads the surface from the library: the modules every path of ours needs', () => {
    const names = new Set(surface.map((read) => read.module));
    for (const module of ['WAWebSocketModel', 'WAWebCollections', 'WAWebSendMsgChatAction', 'WAWebMsgKey', 'WAWebApiContact']) {
      expect(names).toContain(module);
    }
    expect(surface.find((read) => describeRead(read) === 'WAWebSendMsgChatAction.addAndSendMsgToChat')?.via).toBe('WWebJS.sendMessage');
  });

  it.each(DOUBLE_PROFILE_NAMES)('profile %s provides every module and member read on our paths', async (profile) => {
    const missing = await missingOn(
      profile,
      surface.filter((read) => !excused(read)),
    );
    expect(
      missing.map((read) => `${describeRead(read)} (read by ${surface.find((s) => describeRead(s) === describeRead(read))!.via})`),
    ).toEqual([]);
  });

  it('every excuse still applies: the library still reads it, and the double still leaves it out', async () => {
    const stale = Object.keys(NOT_ON_OUR_PATHS).filter((excuse) => !surface.some((read) => prefixes(read).includes(excuse)));
    expect(stale).toEqual([]);
    const excusedReads = surface.filter(excused);
    const missing = new Set((await missingOn('legacy', excusedReads)).flatMap(prefixes));
    expect(Object.keys(NOT_ON_OUR_PATHS).filter((excuse) => !missing.has(excuse))).toEqual([]);
  });
});
