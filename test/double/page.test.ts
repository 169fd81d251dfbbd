/**
 * The double's page is assembled from double/page/ (double/page.ts): every part is listed once, each
 * parses on its own, the assembled closure passes `node --check`, and a syntax error is reported with
 * the name of the part that holds it. prepareDoubleCache hands the library exactly the assembled page.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { DOUBLE_PROFILE_NAMES, DOUBLE_WEB_VERSION, prepareDoubleCache } from '../../double/harness';
import { DOUBLE_PAGE_DIR, DOUBLE_PAGE_PARTS, assembleDoublePage, partAtLine, type AssembledPage } from '../../double/page';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-page-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** `node --check` on the page's closure (its second <script>): null, or the error with the part it falls in. */
function checkPageScript({ html, parts }: AssembledPage): string | null {
  const start = html.indexOf('<script>', html.indexOf('<script>') + 1) + '<script>'.length;
  const file = path.join(root, `script-${process.hrtime.bigint()}.js`);
  fs.writeFileSync(file, html.slice(start, html.indexOf('</script>', start)));
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (check.status === 0) return null;
  const scriptLine = Number(/:(\d+)\n/.exec(check.stderr)?.[1]);
  const htmlLine = html.slice(0, start).split('\n').length + scriptLine - 1;
  const part = partAtLine(parts, htmlLine);
  const message = check.stderr.split('\n').find((line) => line.startsWith('SyntaxError')) ?? check.stderr;
  return `${part ? `double/page/${part.name} line ${htmlLine - part.firstLine + 1}` : `the shell, page line ${htmlLine}`}: ${message}`;
}

describe('the double page assembled from its parts', () => {
  it('lists every part of double/page/ exactly once', () => {
    const onDisk = fs.readdirSync(DOUBLE_PAGE_DIR).filter((name) => name.endsWith('.js'));
    expect([...DOUBLE_PAGE_PARTS].sort()).toEqual(onDisk.sort());
    expect(new Set(DOUBLE_PAGE_PARTS).size).toBe(DOUBLE_PAGE_PARTS.length);
  });

  it.each(DOUBLE_PAGE_PARTS)('%s parses on its own (strict mode)', (name) => {
    const source = fs.readFileSync(path.join(DOUBLE_PAGE_DIR, name), 'utf8');
    expect(() => new vm.Script(`'use strict';${source}`, { filename: `double/page/${name}` })).not.toThrow();
  });

  it('passes node --check once assembled', () => {
    expect(checkPageScript(assembleDoublePage())).toBeNull();
  });

  it('names the part that holds a syntax error', () => {
    const broken = path.join(root, 'broken');
    fs.cpSync(DOUBLE_PAGE_DIR, broken, { recursive: true });
    const groups = path.join(broken, 'groups.js');
    const lines = fs.readFileSync(groups, 'utf8').split('\n');
    lines.splice(10, 0, 'const = 1;');
    fs.writeFileSync(groups, lines.join('\n'));
    expect(checkPageScript(assembleDoublePage(broken))).toMatch(/^double\/page\/groups\.js line 11: SyntaxError/);
  });

  it.each(DOUBLE_PROFILE_NAMES)('is what prepareDoubleCache hands the library on %s, but for the config line', (profile) => {
    const { html } = assembleDoublePage();
    const cache = prepareDoubleCache(path.join(root, profile), { profile });
    const written = fs.readFileSync(path.join(cache.webVersionCache.path, `${DOUBLE_WEB_VERSION}.html`), 'utf8');
    const differing = written.split('\n').filter((line, i) => line !== html.split('\n')[i]);
    expect(differing).toEqual([expect.stringContaining(`window.WADoubleConfig = {"profile":"${profile}"`)]);
    expect(written.split('\n')).toHaveLength(html.split('\n').length);
    expect(assembleDoublePage().html).toBe(html);
  });
});
