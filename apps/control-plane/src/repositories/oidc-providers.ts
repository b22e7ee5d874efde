import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';
import { decryptSecret, encryptSecret } from '../secrets/cipher.ts';
import { iso, type Clock } from './tokens.ts';

// An account's OpenID Connect providers. The client secret is stored encrypted and read back only
// to talk to the provider; the rest is the configuration the SsoService answers.

export type OidcProviderRow = Database['oidc_providers'];

/** Which role the members of one of the provider's groups get. */
export interface GroupRole {
  group: string;
  role_id: string;
}

/** A provider's settings as the service validated them; the secret in plaintext, sealed here. */
export interface OidcProviderInput {
  name: string;
  issuerUrl: string;
  clientId: string;
  scopes: readonly string[];
  groupsClaim: string;
  groupRoles: readonly GroupRole[];
}

const secretAt = (providerId: string) => ({ column: 'oidc_providers.client_secret', rowId: providerId });

/** The stored form of a client secret: AES-256-GCM under the database's key ring, bound to its row (a secret copied to another provider does not open). */
export const sealClientSecret = (db: Db, providerId: string, plaintext: string): string => encryptSecret(db.secrets, secretAt(providerId), plaintext);

/** The plaintext of a secret sealClientSecret stored for `providerId`; SecretError when it does not open. */
export const openClientSecret = (db: Db, providerId: string, stored: string): string => decryptSecret(db.secrets, secretAt(providerId), stored);

export const groupRolesOf = (row: Pick<OidcProviderRow, 'group_roles'>): GroupRole[] => JSON.parse(row.group_roles) as GroupRole[];
export const scopesOf = (row: Pick<OidcProviderRow, 'scopes'>): string[] => row.scopes.split(' ').filter(Boolean);

const columnsOf = (input: OidcProviderInput) => ({
  name: input.name,
  issuer_url: input.issuerUrl,
  client_id: input.clientId,
  scopes: input.scopes.join(' '),
  groups_claim: input.groupsClaim,
  group_roles: JSON.stringify(input.groupRoles.map(({ group, role_id }) => ({ group, role_id }))),
});

export async function insertOidcProvider(db: Db, accountId: string, input: OidcProviderInput, clientSecret: string, now: Clock): Promise<OidcProviderRow> {
  const id = randomUUID();
  const at = iso(now);
  const row: OidcProviderRow = {
    id,
    account_id: accountId,
    ...columnsOf(input),
    client_secret: sealClientSecret(db, id, clientSecret),
    created_at: at,
    last_modified_at: at,
  };
  await db.q.insertInto('oidc_providers').values(row).execute();
  return row;
}

/** Replaces a provider's settings; `clientSecret` undefined keeps the stored one. Undefined: no such provider in the account. */
export async function updateOidcProvider(
  db: Db,
  accountId: string,
  id: string,
  input: OidcProviderInput,
  clientSecret: string | undefined,
  now: Clock,
): Promise<OidcProviderRow | undefined> {
  const secret = clientSecret === undefined ? {} : { client_secret: sealClientSecret(db, id, clientSecret) };
  const done = await db.q
    .updateTable('oidc_providers')
    .set({ ...columnsOf(input), ...secret, last_modified_at: iso(now) })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0 ? oidcProviderOf(db, accountId, id) : undefined;
}

/** True when the account had the provider. Its identities go with it (their users stay). */
export async function deleteOidcProvider(db: Db, accountId: string, id: string): Promise<boolean> {
  const done = await db.q.deleteFrom('oidc_providers').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
  return Number(done.numDeletedRows) > 0;
}

export async function oidcProviderOf(db: Db, accountId: string, id: string): Promise<OidcProviderRow | undefined> {
  return db.q.selectFrom('oidc_providers').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

/** A provider by id alone: the sign-in routes, before anyone is known. */
export async function oidcProviderById(db: Db, id: string): Promise<OidcProviderRow | undefined> {
  return db.q.selectFrom('oidc_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOidcProviders(db: Db, accountId: string): Promise<OidcProviderRow[]> {
  return db.q.selectFrom('oidc_providers').selectAll().where('account_id', '=', accountId).orderBy('name').orderBy('id').execute();
}

/** Every provider of the instance with its account's name: the sign-in page's choices. */
export async function signInOptions(db: Db): Promise<{ id: string; name: string; account_name: string }[]> {
  return db.q
    .selectFrom('oidc_providers as p')
    .innerJoin('accounts as a', 'a.id', 'p.account_id')
    .select(['p.id', 'p.name', 'a.name as account_name'])
    .orderBy('a.name')
    .orderBy('p.name')
    .orderBy('p.id')
    .execute();
}

/** Which of `roleIds` are roles of the account. */
export async function rolesOfAccount(db: Db, accountId: string, roleIds: readonly string[]): Promise<Set<string>> {
  if (roleIds.length === 0) return new Set();
  const rows = await db.q
    .selectFrom('roles')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'in', [...roleIds])
    .execute();
  return new Set(rows.map((r) => r.id));
}
