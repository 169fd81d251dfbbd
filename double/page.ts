// Assembles the double's page (double/README.md, "The page"): double/page/shell.html with the parts of
// double/page/ in DOUBLE_PAGE_PARTS order, inside the shell's one closure. Nothing is fetched at run time:
// the library is handed this text, whole, from its web-version cache.
import fs from 'node:fs';
import path from 'node:path';

export const DOUBLE_PAGE_DIR = path.join(__dirname, 'page');
const SHELL = 'shell.html';
const PARTS_LINE = '        // the parts of double/page/, in the order of DOUBLE_PAGE_PARTS (double/page.ts)\n';
const INDENT = ' '.repeat(8); // the closure's body in the shell

/** The page's script parts, in page order: each may use what an earlier one declares (one closure). */
export const DOUBLE_PAGE_PARTS = [
  'config.js',
  'base.js',
  'connection.js',
  'models.js',
  'harness-reads.js',
  'modules.js',
  'harness-handle.js',
  'receiving.js',
  'sending-kinds.js',
  'message-actions.js',
  'chats.js',
  'groups.js',
  'group-calls.js',
  'group-invites.js',
  'contacts-account.js',
  'catch-up.js',
  'boot.js',
] as const;

/** Where a part landed in the assembled page (1-based lines of the HTML). */
export interface PlacedPart {
  name: string;
  firstLine: number;
  lastLine: number;
}

export interface AssembledPage {
  html: string;
  parts: PlacedPart[];
}

/** The page from the shell and parts in `dir` (another folder only for the tests of a broken part). */
export function assembleDoublePage(dir = DOUBLE_PAGE_DIR): AssembledPage {
  const shell = fs.readFileSync(path.join(dir, SHELL), 'utf8');
  const at = shell.indexOf(PARTS_LINE);
  if (at < 0) throw new Error(`${SHELL} in ${dir} lost its parts line`);
  let line = shell.slice(0, at).split('\n').length;
  const parts: PlacedPart[] = [];
  const bodies = DOUBLE_PAGE_PARTS.map((name) => {
    const lines = fs.readFileSync(path.join(dir, name), 'utf8').trimEnd().split('\n');
    parts.push({ name, firstLine: line, lastLine: line + lines.length - 1 });
    line += lines.length + 1; // and the blank line between parts
    return lines.map((text) => (text ? INDENT + text : text)).join('\n');
  });
  return { html: shell.slice(0, at) + bodies.join('\n\n') + '\n' + shell.slice(at + PARTS_LINE.length), parts };
}

/** The part that holds line `line` of the assembled page, if any. */
export function partAtLine(parts: PlacedPart[], line: number): PlacedPart | undefined {
  return parts.find((part) => part.firstLine <= line && line <= part.lastLine);
}
