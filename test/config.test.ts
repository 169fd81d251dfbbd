import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../src/config';

const example = readFileSync(path.resolve(__dirname, '../.env.example'), 'utf8');
const documented = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map(([, name, value]) => ({ name: name!, value: value! }));

describe('configuration', () => {
  it('.env.example lists exactly the variables the code reads', () => {
    expect(documented.map((v) => v.name).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('.env.example shows the defaults the code uses', () => {
    const defaults = loadConfig({});
    for (const { name, value } of documented) {
      const key = name as keyof typeof defaults;
      expect(loadConfig({ [name]: value })[key], name).toEqual(defaults[key]);
    }
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid PORT="eighty": /],
    [{ WA_ENGINE: 'baileys' }, /^Invalid WA_ENGINE="baileys": .*"wwebjs".*"sandbox"/],
    [{ AUTO_LOAD_SESSIONS: 'maybe' }, /^Invalid AUTO_LOAD_SESSIONS="maybe"/],
    [{ API_KEY: 'short' }, /^Invalid API_KEY="short": each key must be at least 16 characters/],
    [{ MAX_CONCURRENT_STARTS: '0' }, /^Invalid MAX_CONCURRENT_STARTS="0"/],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('parses lists and booleans', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'https://a.example, https://b.example',
      SANDBOX_ECHO: '0',
      API_KEY: 'k'.repeat(16) + ',' + 'j'.repeat(20),
    });
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.SANDBOX_ECHO).toBe(false);
    expect(config.API_KEY).toHaveLength(2);
  });
});

describe('README configuration table', () => {
  it('lists every variable with the default of .env.example', () => {
    const readme = readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)`\s*\| (?:`([^`]*)`|unset)\s*\|/gm)].map(([, name, value]) => [name, value ?? '']),
    );
    for (const { name, value } of documented) expect(rows.get(name), name).toBe(value);
    expect(rows.size).toBe(documented.length);
  });
});
