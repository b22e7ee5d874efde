// Secrets at rest: AES-256-GCM values bound to their row, a key ring whose first key encrypts
// and every key decrypts, and the refusals (tampered, moved, unknown key, malformed ring).
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, keyIdOf, parseKeyRing, SecretError } from '../src/secrets/index.ts';

const key = (id: string, byte: number) => `${id}:${Buffer.alloc(32, byte).toString('base64')}`;
const A = parseKeyRing(key('a', 1), 'test');
const BA = parseKeyRing(`${key('b', 2)}\n${key('a', 1)}`, 'test');
const at = { column: 'regions.registry_credentials', rowId: 'row-1' };

/** `stored` with the byte at `index` of its encrypted body flipped. */
function flipped(stored: string, index: number): string {
  const prefix = stored.slice(0, stored.lastIndexOf(':') + 1);
  const body = Buffer.from(stored.slice(prefix.length), 'base64');
  body[index] = body[index]! ^ 0x01;
  return prefix + body.toString('base64');
}

describe('encryptSecret and decryptSecret', () => {
  it('round-trips, under the first key, with a fresh IV each time', () => {
    const one = encryptSecret(A, at, 'pässword 🔑');
    const two = encryptSecret(A, at, 'pässword 🔑');
    expect([one.startsWith('enc:v1:a:'), one === two, one.includes('pässword')]).toEqual([true, false, false]);
    expect([decryptSecret(A, at, one), decryptSecret(A, at, two)]).toEqual(['pässword 🔑', 'pässword 🔑']);
    expect(keyIdOf(encryptSecret(BA, at, 'x'))).toBe('b');
  });

  it('refuses a flipped byte anywhere: IV, ciphertext, tag', () => {
    const stored = encryptSecret(A, at, 'the secret');
    const length = Buffer.from(stored.slice('enc:v1:a:'.length), 'base64').length;
    for (const index of [0, 11, 12, length - 17, length - 1])
      expect(() => decryptSecret(A, at, flipped(stored, index))).toThrow(
        new SecretError('regions.registry_credentials of row row-1 (key id a) does not decrypt: altered, or copied from another row'),
      );
  });

  it('refuses a value moved to another row or column', () => {
    const stored = encryptSecret(A, at, 'the secret');
    expect(() => decryptSecret(A, { ...at, rowId: 'row-2' }, stored)).toThrow(/regions.registry_credentials of row row-2 \(key id a\) does not decrypt/);
    expect(() => decryptSecret(A, { ...at, column: 'clusters.api_keys' }, stored)).toThrow(/clusters.api_keys of row row-1 \(key id a\) does not decrypt/);
  });

  it('names the key id and the row of a value under a key the ring lacks, and refuses plaintext and truncation', () => {
    const underB = encryptSecret(BA, at, 'the secret');
    expect(() => decryptSecret(A, at, underB)).toThrow(
      new SecretError('regions.registry_credentials of row row-1 is encrypted under key id b, which the secrets key ring does not hold'),
    );
    expect(() => decryptSecret(A, at, '{"username":"u","password":"p"}')).toThrow(/row row-1 is not an encrypted value/);
    expect(() => decryptSecret(A, at, 'enc:v1:a:AAAA')).toThrow(/row row-1 \(key id a\) is truncated/);
  });

  it('decrypts with every key of a ring: the old values after a new key was put first', () => {
    const old = encryptSecret(A, at, 'kept');
    expect(decryptSecret(BA, at, old)).toBe('kept');
  });
});

describe('parseKeyRing', () => {
  it('reads entries separated by newlines, commas or spaces; the first encrypts', () => {
    const ring = parseKeyRing(` ${key('k2', 3)}, ${key('k1', 4)}\n${key('k0', 5)}\n`, 'test');
    expect([ring.primary.id, [...ring.keys.keys()]]).toEqual(['k2', ['k2', 'k1', 'k0']]);
  });

  it('refuses a malformed ring, naming the entry and never the key material', () => {
    const short = `a:${Buffer.alloc(16, 1).toString('base64')}`;
    const cases: Array<[string, string]> = [
      ['', 'QHC_SECRETS_KEY: no key; give one or more "<key id>:<base64 of 32 bytes>" entries'],
      [Buffer.alloc(32).toString('base64'), 'QHC_SECRETS_KEY: entry 1: not "<key id>:<base64 of 32 bytes>"'],
      [short, 'QHC_SECRETS_KEY: entry 1 (key id a): the key is not the base64 of 32 bytes'],
      [`${key('a', 1)} a:!!notbase64!!`, 'QHC_SECRETS_KEY: entry 2 (key id a): the key is not the base64 of 32 bytes'],
      [`${key('a', 1)} ${key('a', 2)}`, 'QHC_SECRETS_KEY: entry 2: key id a appears twice'],
    ];
    for (const [text, message] of cases) {
      const thrown = (() => {
        try {
          parseKeyRing(text, 'QHC_SECRETS_KEY');
        } catch (error) {
          return (error as Error).message;
        }
        return 'accepted';
      })();
      expect(thrown.startsWith(message), `${text} → ${thrown}`).toBe(true);
      expect(thrown).not.toContain(Buffer.alloc(32, 2).toString('base64'));
    }
  });
});
