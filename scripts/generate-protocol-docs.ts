/**
 * Generates the published protocol documents from the protocol declaration
 * (src/protocol: schemas, the request and server-event tables, the error
 * codes), so they cannot drift from what the gateway validates and sends:
 *
 *   docs/asyncapi.yaml  AsyncAPI 3.0, payloads as JSON Schema (draft-07)
 *   docs/protocol.md    the same for humans: tables with stable anchors
 *   public/protocol.js  the facts the test console acts on
 *
 *   npm run docs:protocol          (tsx scripts/generate-protocol-docs.ts)
 *
 * The parts are in scripts/protocol-docs/: json-schema.ts (zod → JSON
 * Schema), asyncapi.ts, markdown.ts and console.ts. test/protocol/protocol-docs.test.ts
 * regenerates every file in memory and fails when a committed one differs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import pkg from '../package.json';
import { buildAsyncApi } from './protocol-docs/asyncapi';
import { consoleProtocol, consoleScript } from './protocol-docs/console';
import { protocolSchemas } from './protocol-docs/json-schema';
import { buildMarkdown } from './protocol-docs/markdown';
import { GENERATED_NOTE, keysOf } from './protocol-docs/names';

export const ROOT = path.resolve(__dirname, '..');
export const OUTPUT_FILES = { asyncapi: 'docs/asyncapi.yaml', markdown: 'docs/protocol.md', console: 'public/protocol.js' } as const;

export type ProtocolDocs = Record<keyof typeof OUTPUT_FILES, string>;

/** Every generated file, exactly as it is written. */
export function generateProtocolDocs(): ProtocolDocs {
  const schemas = protocolSchemas();
  const yaml = stringify(buildAsyncApi(schemas, pkg), { lineWidth: 0, aliasDuplicateObjects: false });
  return {
    asyncapi: `# ${GENERATED_NOTE}\n${yaml}`,
    markdown: buildMarkdown(schemas, pkg.version),
    console: consoleScript(consoleProtocol(pkg.version)),
  };
}

if (require.main === module) {
  const docs = generateProtocolDocs();
  for (const kind of keysOf(OUTPUT_FILES)) {
    writeFileSync(path.join(ROOT, OUTPUT_FILES[kind]), docs[kind]);
    console.log(`wrote ${OUTPUT_FILES[kind]}`);
  }
}
