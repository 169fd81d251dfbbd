import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeys, canUse, OPEN_ACCESS } from '../../src/server/api-keys';

const ADMIN = 'admin-key-0123456789abcdef';
const SHOP = 'shop-key-0123456789abcdef';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-keys-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function keysFile(content: unknown): string {
  const file = path.join(dir, `keys-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('ApiKeys', () => {
  it('without keys, everyone gets every session', () => {
    const keys = ApiKeys.load([]);
    expect(keys.required).toBe(false);
    expect(keys.authenticate(undefined)).toBe(OPEN_ACCESS);
  });

  it('API_KEY values get every session; API_KEYS_FILE keys get their list', () => {
    const keys = ApiKeys.load([ADMIN], keysFile({ [SHOP]: ['shop-1', 'shop-2'] }));
    expect(keys.required).toBe(true);
    const admin = keys.authenticate(ADMIN)!;
    const shop = keys.authenticate(SHOP)!;
    expect(admin.scope).toBe('*');
    expect(canUse(admin, 'anything')).toBe(true);
    expect(canUse(shop, 'shop-1')).toBe(true);
    expect(canUse(shop, 'other')).toBe(false);
  });

  it('names a key by a short hash, never the key, the same on every load', () => {
    const first = ApiKeys.load([ADMIN]).authenticate(ADMIN)!;
    const again = ApiKeys.load([ADMIN]).authenticate(ADMIN)!;
    expect(first.keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(first.keyId).toBe(again.keyId);
    expect(ADMIN).not.toContain(first.keyId);
    expect(ApiKeys.load([SHOP]).authenticate(SHOP)!.keyId).not.toBe(first.keyId);
  });

  it.each([[undefined], [''], [42], [{ token: ADMIN }], [`${ADMIN}x`], [ADMIN.slice(0, -1)], ['x'.repeat(2000)]])('refuses %j', (token) => {
    expect(ApiKeys.load([ADMIN]).authenticate(token)).toBeNull();
  });

  it('refuses a keys file with a short key or a bad session id, naming the problem', () => {
    expect(() => ApiKeys.load([], keysFile({ short: '*' }))).toThrow('API keys must be at least 16 characters');
    expect(() => ApiKeys.load([], keysFile({ [SHOP]: ['bad id!'] }))).toThrow();
  });
});
