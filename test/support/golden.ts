/** The real WhatsApp Web shapes of test/fixtures/whatsapp-web (see its README). */
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '../fixtures/whatsapp-web');

export interface Golden<T> {
  source: string;
  seen: string;
  note: string;
  data: T;
}

export function golden<T = Record<string, unknown>>(name: string): Golden<T> {
  return JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as Golden<T>;
}

/** A value's JSON kind: what "same shape" compares. */
export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The kind of every field of `sample`, for comparing two objects' shapes. */
export function shapeOf(sample: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, jsonKind(value)]));
}
