/**
 * Who may connect (API_KEY, API_KEYS_FILE) and which sessions each key may
 * see and control. Keys are compared in constant time and never logged: a
 * connection is known in logs by a short hash of its key.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { sessionIdSchema } from '../protocol/schemas';

export interface Access {
  /** A short, non-reversible label of the key for logs and per-key limits; 'anonymous' without auth. */
  keyId: string;
  /** Every session ('*'), or only these. */
  scope: '*' | ReadonlySet<string>;
}

export const OPEN_ACCESS: Access = { keyId: 'anonymous', scope: '*' };

const keysFileSchema = z.record(
  z.string().min(16, 'API keys must be at least 16 characters'),
  z.union([z.literal('*'), z.array(sessionIdSchema)]),
);

interface KnownKey {
  digest: Buffer;
  access: Access;
}

export class ApiKeys {
  private constructor(private readonly keys: KnownKey[]) {}

  /** API_KEY values get every session; API_KEYS_FILE maps keys to session lists or '*'. */
  static load(plainKeys: string[], keysFile?: string): ApiKeys {
    const scoped = keysFile ? Object.entries(keysFileSchema.parse(JSON.parse(readFileSync(keysFile, 'utf8')))) : [];
    const entries: Array<[string, '*' | string[]]> = [...plainKeys.map((key): [string, '*'] => [key, '*']), ...scoped];
    return new ApiKeys(
      entries.map(([key, sessions]) => ({
        digest: digest(key),
        access: { keyId: digest(key).toString('hex').slice(0, 12), scope: sessions === '*' ? '*' : new Set(sessions) },
      })),
    );
  }

  get required(): boolean {
    return this.keys.length > 0;
  }

  /** The access a token grants, or null. Checks every key, so timing says nothing about which matched. */
  authenticate(token: unknown): Access | null {
    if (!this.required) return OPEN_ACCESS;
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) return null;
    const presented = digest(token);
    let match: Access | null = null;
    for (const key of this.keys) if (timingSafeEqual(key.digest, presented) && !match) match = key.access;
    return match;
  }
}

export function canUse(access: Access, sessionId: string): boolean {
  return access.scope === '*' || access.scope.has(sessionId);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
