import { readFileSync, writeFileSync } from 'node:fs';
import { ephemeralKeyRing, generateKeyRingText, parseKeyRing, type KeyRing } from './ring.ts';

/** Where the operator gave the key ring: `--secrets-key-file` (wins) or `QHC_SECRETS_KEY`'s text. */
export interface SecretsKeySource {
  keyFile?: string;
  key?: string;
}

export const KEY_RING_FORMAT = 'one or more "<key id>:<base64 of 32 bytes>" entries, e.g. k1:$(openssl rand -base64 32)';

/** The key file a SQLite database without a given key keeps beside it. */
export const generatedKeyFileOf = (databaseFile: string) => `${databaseFile}.secrets-key`;

/**
 * The key ring secrets at rest use. Given: read (the file, or the variable's text). Not given:
 * SQLite keeps one beside its file, generated on first start (mode 0600; whoever can read the
 * database can read it too, so back both up and keep them apart if that matters); `:memory:`
 * gets a key that dies with it; PostgreSQL refuses to start, since its replicas must share one
 * key that no replica can invent alone.
 */
export function resolveKeyRing(location: string, dialect: 'sqlite' | 'postgres', given: SecretsKeySource = {}): KeyRing {
  if (given.keyFile) return parseKeyRing(readKeyFile(given.keyFile), `--secrets-key-file ${given.keyFile}`);
  if (given.key) return parseKeyRing(given.key, 'QHC_SECRETS_KEY');
  if (dialect === 'postgres')
    throw new Error(
      `on PostgreSQL the control plane needs the key that encrypts secrets at rest, the same for every replica: give --secrets-key-file <file> (or QHC_SECRETS_KEY) holding ${KEY_RING_FORMAT}`,
    );
  if (location === ':memory:' || location === '') return ephemeralKeyRing();
  const file = generatedKeyFileOf(location);
  try {
    // `wx`: two processes starting on a new file keep whichever key was written first.
    writeFileSync(file, generateKeyRingText(), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new Error(`cannot write the generated secrets key ${file}: ${String(error)}`, { cause: error });
  }
  return parseKeyRing(readKeyFile(file), `the generated secrets key ${file}`);
}

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the secrets key file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}
