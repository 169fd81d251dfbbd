/** Payload schemas as Markdown: a field table per payload, its rules in words, and the short field lists of the overview. */
import type { JSONSchema7 } from 'json-schema';
import { reportedStatusSchema } from '../../src/protocol/schemas';
import { asSchema, ERROR_CODE_REF } from './json-schema';

/** `|` and line breaks would end a table cell. */
export const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
export const code = (text: string) => `\`${text}\``;

/** The schema of an array's items (a tuple's are not described: the protocol has none). */
const itemsOf = (schema: JSONSchema7): JSONSchema7 | undefined =>
  schema.items === undefined || Array.isArray(schema.items) ? undefined : asSchema(schema.items);

const isSessionStatus = ({ enum: values }: JSONSchema7) =>
  values?.length === reportedStatusSchema.options.length && reportedStatusSchema.options.every((status, i) => values[i] === status);

/** A short type label: `string`, `"a" | "b"`, `string | object`, `string[]`, … */
export function typeLabel(schema: JSONSchema7): string {
  if (schema.$ref === ERROR_CODE_REF) return '[error code](#error-codes)';
  if (isSessionStatus(schema)) return '[session status](#session-statuses)';
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((value) => code(JSON.stringify(value))).join(' | ');
  if (schema.anyOf) return schema.anyOf.map((member) => typeLabel(asSchema(member))).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  const items = itemsOf(schema);
  if (schema.type === 'array' && items) return `${typeLabel(items)}[]`;
  return schema.type ?? 'any';
}

function constraints({ minLength, maxLength, pattern, maxItems, default: byDefault }: JSONSchema7): string[] {
  const notes: string[] = [];
  if (pattern) notes.push(`Pattern ${code(pattern)}.`);
  else if (minLength !== undefined && maxLength !== undefined) notes.push(`${minLength}–${maxLength} characters.`);
  else if (maxLength !== undefined) notes.push(`At most ${maxLength} characters.`);
  else if (minLength !== undefined && minLength > 0) notes.push('Not empty.');
  if (maxItems !== undefined) notes.push(`At most ${maxItems} items.`);
  if (byDefault !== undefined) notes.push(`Default ${code(JSON.stringify(byDefault))}.`);
  return notes;
}

interface FieldRow {
  field: string;
  type: string;
  required: boolean;
  description: string;
}

const holdsObjects = (schema: JSONSchema7) => schema.type === 'object' || (schema.type === 'array' && itemsOf(schema)?.type === 'object');

/** The rows of a field table: properties, then the properties of nested objects as `parent.child`. */
export function fieldRows(schema: JSONSchema7, prefix = ''): FieldRow[] {
  const items = itemsOf(schema);
  if (schema.type === 'array' && items) return fieldRows(items, `${prefix}[].`);
  if (!schema.properties) return [];
  const required = new Set(schema.required);
  return Object.entries(schema.properties).flatMap(([name, definition]) => {
    const property = asSchema(definition);
    const notes = [...(property.description ? [property.description] : []), ...constraints(property)];
    const row: FieldRow = {
      field: `${prefix}${name}`,
      type: typeLabel(property),
      required: required.has(name),
      description: notes.join(' '),
    };
    const nested = [property, ...(property.anyOf ?? []).map(asSchema)].flatMap((member) =>
      holdsObjects(member) ? fieldRows(member, `${prefix}${name}.`) : [],
    );
    return [row, ...nested];
  });
}

export function fieldTable(schema: JSONSchema7, noPayload = false): string {
  if (noPayload) return 'No payload: emit the event with only the callback (`null` or `{}` are accepted too).';
  const rows = fieldRows(schema);
  const intro = schema.type === 'array' ? 'An array; each item:\n\n' : '';
  if (!rows.length) return `${intro}Type: ${typeLabel(schema)}.`;
  return [
    intro + '| Field | Type | Required | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${code(row.field)} | ${cell(row.type)} | ${row.required ? 'yes' : 'no'} | ${cell(row.description)} |`),
  ].join('\n');
}

/** `sessionId`, `to`, `type?`, …: the overview's one-line field list. */
export function fieldList(schema: JSONSchema7, noPayload: boolean): string {
  if (noPayload) return '—';
  const required = new Set(schema.required);
  return Object.keys(schema.properties ?? {})
    .map((name) => code(required.has(name) ? name : `${name}?`))
    .join(', ');
}

const orList = (words: string[]) => (words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : words.join(''));

/**
 * The rules of a payload in words: its if/then rules (src/protocol/required-by.ts), "`media` (not
 * empty) is required when `type` is `image`, … or `audio`.", and a oneOf of required fields, "exactly
 * one of `clientMessageId` or `messageId` is given.". A rule of another shape fails loudly rather
 * than go undocumented.
 */
export function ruleSentences(schema: JSONSchema7): string[] {
  return [...ifThenSentences(schema), ...oneOfSentences(schema)];
}

function oneOfSentences(schema: JSONSchema7): string[] {
  if (!schema.oneOf) return [];
  const fields = schema.oneOf.map(asSchema).map((choice) => {
    const [field, ...more] = choice.required ?? [];
    if (!field || more.length || Object.keys(choice).length > 1) throw new Error(`no words for the rule ${JSON.stringify(choice)}`);
    return code(field);
  });
  return [`exactly one of ${orList(fields)} is given.`];
}

function ifThenSentences(schema: JSONSchema7): string[] {
  return (schema.allOf ?? []).map(asSchema).map((rule) => {
    const [key, test] = Object.entries(asSchema(rule.if).properties ?? {})[0] ?? [];
    const values = asSchema(test).enum;
    const then = asSchema(rule.then);
    if (!key || !values || !then.required) throw new Error(`no words for the rule ${JSON.stringify(rule)}`);
    const notEmpty = (field: string) => (asSchema(then.properties?.[field]).minLength ? ' (not empty)' : '');
    const needed = then.required.map((field) => `${code(field)}${notEmpty(field)}`);
    const { default: byDefault } = asSchema(schema.properties?.[key]);
    const defaultNote = byDefault !== undefined && values.some((value) => value === byDefault) ? ' (the default)' : '';
    return `${orList(needed)} is required when ${code(key)} is ${orList(values.map((value) => code(String(value))))}${defaultNote}.`;
  });
}
