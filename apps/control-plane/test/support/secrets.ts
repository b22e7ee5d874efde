import type { Db } from '../../src/db/db.ts';
import { sqlOn } from './sql.ts';

// Where a secret must never be: any column of any table, as it is, in base64 (standard or URL
// alphabet), or inside a base64 value (a protobuf message stored as base64, at any alignment).

export interface PlaintextHit {
  table: string;
  column: string;
  /** The first characters of the row's first column, to find it. */
  row: string;
  secret: string;
  form: 'plain' | 'base64' | 'inside base64';
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

function formsOf(secret: string): Array<[PlaintextHit['form'], string]> {
  const base64 = Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, '');
  return [
    ['plain', secret],
    ['base64', base64],
    ['base64', Buffer.from(secret, 'utf8').toString('base64url')],
  ];
}

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value == null ? '' : JSON.stringify(value);

function found(text: string, secret: string): PlaintextHit['form'] | undefined {
  for (const [form, needle] of formsOf(secret)) if (text.includes(needle)) return form;
  for (const run of text.match(BASE64_RUN) ?? [])
    if (Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64').includes(secret)) return 'inside base64';
  return undefined;
}

/** Every place a table's row holds one of `secrets` (each at least 8 characters: shorter ones match by chance). */
export async function scanForPlaintext(db: Db, secrets: readonly string[]): Promise<PlaintextHit[]> {
  for (const secret of secrets) if (secret.length < 8) throw new Error(`scanForPlaintext: "${secret.slice(0, 2)}…" is too short to look for`);
  const sql = sqlOn(db);
  const tables = (await db.q.introspection.getTables()).map((t) => t.name).toSorted();
  const hits: PlaintextHit[] = [];
  for (const table of tables) {
    for (const row of await sql.all(`SELECT * FROM ${table}`)) {
      const first = asText(Object.values(row)[0]).slice(0, 40);
      for (const [column, value] of Object.entries(row)) {
        const text = asText(value);
        for (const secret of secrets) {
          const form = found(text, secret);
          if (form) hits.push({ table, column, row: first, secret, form });
        }
      }
    }
  }
  return hits;
}
