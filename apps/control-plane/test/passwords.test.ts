import { describe, expect, it } from 'vitest';
import { hashPassword, UNUSABLE_PASSWORD_HASH, verifyPassword } from '../src/iam/passwords.ts';

const CHEAP = { memoryKiB: 1024, passes: 1, parallelism: 1 };

describe('passwords', () => {
  it('stores an argon2id PHC string with a fresh salt, and verifies only the same password', async () => {
    const [a, b] = [await hashPassword('correct horse', CHEAP), await hashPassword('correct horse', CHEAP)];
    expect(a).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
  });

  it('verifies with the cost stored in the hash, and refuses what is not an argon2id PHC string', async () => {
    const stored = await hashPassword('pw', { memoryKiB: 2048, passes: 2, parallelism: 2 });
    expect(await verifyPassword('pw', stored)).toBe(true);
    expect(await verifyPassword('pw', stored.replace('argon2id', 'argon2i'))).toBe(false);
    expect(await verifyPassword('pw', 'pw')).toBe(false);
  });

  it('has a hash no password matches, at the default cost', async () => {
    expect(UNUSABLE_PASSWORD_HASH).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword('', UNUSABLE_PASSWORD_HASH)).toBe(false);
  });
});
