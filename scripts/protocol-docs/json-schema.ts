/**
 * Every payload of the protocol as JSON Schema draft-07 (the AsyncAPI 3.0
 * default schema format), converted from the zod schemas by z.toJSONSchema.
 * Requests are documented as what the gateway accepts (input), server events
 * as what it sends (output). Each payload is one named component; the error
 * code enum is one too, and the payloads point at it with a $ref. Rules that
 * a superRefine checks reach the schemas as if/then through the schema's
 * .meta() (src/protocol/required-by.ts).
 */
import type { JSONSchema7, JSONSchema7Definition } from 'json-schema';
import { z } from 'zod';
import { requests, serverEvents, type RequestName, type ServerEventName } from '../../src/protocol/events';
import { errorCodeSchema } from '../../src/protocol/schemas';
import { payloadName, requestNames, serverEventNames } from './names';

export const SCHEMAS_PATH = '#/components/schemas/';
export const ERROR_CODE = 'ErrorCode';
export const ERROR_CODE_REF = `${SCHEMAS_PATH}${ERROR_CODE}`;

export interface ProtocolSchemas {
  request(name: RequestName): JSONSchema7;
  event(name: ServerEventName): JSONSchema7;
  /** The error code enum, without descriptions: they are in ERROR_CODES. */
  errorCode: JSONSchema7;
}

export function protocolSchemas(): ProtocolSchemas {
  const input = convert(
    requestNames.map((name) => [payloadName(name), requests[name].payload]),
    'input',
  );
  const output = convert(
    serverEventNames.map((event) => [payloadName(event), serverEvents[event]]),
    'output',
  );
  return {
    request: (name) => pick(input, payloadName(name)),
    event: (name) => pick(output, payloadName(name)),
    errorCode: pick(output, ERROR_CODE),
  };
}

/** A definition that is `true`/`false` (anything/nothing) read as a schema with no keywords. */
export const asSchema = (definition: JSONSchema7Definition | undefined): JSONSchema7 => (typeof definition === 'object' ? definition : {});

/** Requests whose payload is "nothing": emitted with only the ack callback. */
export function takesNoPayload(schema: JSONSchema7): boolean {
  const members = schema.anyOf?.map(asSchema);
  return (
    !schema.properties &&
    !!members &&
    members.every((m) => m.type === 'null' || (m.type === 'object' && !Object.keys(m.properties ?? {}).length))
  );
}

// ---- zod → JSON Schema ----------------------------------------------------

const ABSENT = 'x-absent';
const SAFE_INTEGER_BOUNDS = new Set<unknown>([Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]);

/**
 * One z.toJSONSchema run over a registry of named schemas: zod writes a
 * schema that has an id in the registry as a $ref to its component. The
 * payloads are registered as clones, since one schema (sessionRefSchema, say)
 * is the payload of several events and a registry holds one id per schema.
 */
function convert(payloads: Array<[id: string, schema: z.ZodType]>, io: 'input' | 'output'): Record<string, JSONSchema7> {
  const registry = z.registry<{ id: string }>();
  registry.add(errorCodeSchema, { id: ERROR_CODE });
  for (const [id, schema] of payloads) registry.add(schema.clone(), { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-07',
    uri: (id) => `${SCHEMAS_PATH}${id}`,
    // "No payload" is z.undefined() in a union: the event is emitted without one. Anything else unrepresentable must fail loudly.
    unrepresentable: ({ zodSchema }) => (zodSchema._zod.def.type === 'undefined' ? { [ABSENT]: true } : 'throw'),
  });
  // zod puts schemas it could not inline (a cycle, say) under __shared, where no $ref of ours points.
  if ('__shared' in schemas) throw new Error('a payload schema has a cycle: zod moved part of it to a shared definition');
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _draft, $id: _id, ...schema }]) => [id, toJsonSchema7(tidySchema(schema))]),
  );
}

/** z.toJSONSchema's own type covers every draft it can target; asked for draft-07 it writes draft-07. */
const toJsonSchema7 = (schema: object) => schema as JSONSchema7;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isAbsent = (value: unknown) => isRecord(value) && value[ABSENT] === true;

/** Drops the "absent" union members and the ±2^53 bounds zod gives every int (noise, not a rule). */
function tidySchema(node: Record<string, unknown>): Record<string, unknown> {
  if (isAbsent(node)) throw new Error('z.undefined() outside a union has no JSON Schema: make the field .optional() instead');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'minimum' || key === 'maximum') && SAFE_INTEGER_BOUNDS.has(value)) continue;
    out[key] = key === 'anyOf' && Array.isArray(value) ? value.filter((member) => !isAbsent(member)).map(tidy) : tidy(value);
  }
  return out;
}

function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  return isRecord(value) ? tidySchema(value) : value;
}

function pick(schemas: Record<string, JSONSchema7>, id: string): JSONSchema7 {
  const schema = schemas[id];
  if (!schema) throw new Error(`z.toJSONSchema wrote no schema ${id}`);
  return schema;
}
