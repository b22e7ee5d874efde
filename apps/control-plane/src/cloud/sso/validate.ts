import type { qhcV1 } from '@qhc/cloud-api';
import type { Db } from '../../db/db.ts';
import { rolesOfAccount, type OidcProviderInput } from '../../repositories/oidc-providers.ts';
import { invalid } from '../qhc/fields.ts';

// An OidcProvider as a client sent it, checked field by field; each refusal names its proto field.

const FIELD = 'oidc_provider';
/** What is asked for besides `openid` when a provider names no scopes: the email and the groups claim. */
export const DEFAULT_SCOPES = ['email', 'profile', 'groups'] as const;
export const DEFAULT_GROUPS_CLAIM = 'groups';
const MAX_TEXT = 200;
const MAX_SECRET = 4096;
const MAX_MAPPINGS = 100;
/** RFC 6749 scope-token: printable ASCII without space, `"` and `\`. */
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function text(field: string, value: string, required = true): string {
  const trimmed = value.trim();
  if (required && trimmed === '') throw invalid(`${FIELD}.${field}`, 'missing');
  if (trimmed.length > MAX_TEXT) throw invalid(`${FIELD}.${field}`, `at most ${MAX_TEXT} characters`);
  return trimmed;
}

/**
 * https, as OpenID Connect requires; plain http only for a provider on this machine's loopback
 * (127.0.0.1, localhost, ::1), which is what the tests run (a real provider on 127.0.0.1): no
 * network path to protect there. Any other http issuer would let the network forge sign-ins.
 */
export function issuerUrlOf(value: string): string {
  const field = `${FIELD}.issuer_url`;
  if (value.trim() === '') throw invalid(field, 'missing');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid(field, `${JSON.stringify(value.slice(0, 100))} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw invalid(field, `must be an https URL (plain http only for a provider on 127.0.0.1 or localhost), got ${url.protocol}//${url.host}`);
  if (url.search || url.hash || url.username || url.password) throw invalid(field, 'an issuer has no query, fragment or credentials');
  return value.trim();
}

function scopesOf(scopes: readonly string[]): string[] {
  const given = scopes.map((s) => s.trim()).filter(Boolean);
  given.forEach((scope, i) => {
    if (!SCOPE.test(scope)) throw invalid(`${FIELD}.scopes[${i}]`, `${JSON.stringify(scope.slice(0, 100))} is not a scope`);
  });
  // `openid` is what makes it OpenID Connect: always asked for, first.
  return ['openid', ...new Set((given.length > 0 ? given : DEFAULT_SCOPES).filter((s) => s !== 'openid'))];
}

async function mappingsOf(db: Db, accountId: string, mappings: readonly qhcV1.GroupRoleMapping[]): Promise<OidcProviderInput['groupRoles']> {
  if (mappings.length > MAX_MAPPINGS) throw invalid(`${FIELD}.group_role_mappings`, `at most ${MAX_MAPPINGS} mappings`);
  const known = await rolesOfAccount(
    db,
    accountId,
    mappings.map((m) => m.roleId.trim().toLowerCase()),
  );
  return mappings.map((m, i) => {
    const group = text(`group_role_mappings[${i}].group`, m.group);
    const roleId = m.roleId.trim().toLowerCase();
    if (!known.has(roleId))
      throw invalid(
        `${FIELD}.group_role_mappings[${i}].role_id`,
        `${JSON.stringify(m.roleId.slice(0, 64))} is not a role of the account (IAMService.ListRoles)`,
      );
    return { group, role_id: roleId };
  });
}

/** The client secret of a create (required) or update (empty: keep the stored one). */
export function clientSecretOf(value: string, required: boolean): string | undefined {
  if (value === '') {
    if (required) throw invalid(`${FIELD}.client_secret`, 'missing; the secret the provider gave the client');
    return undefined;
  }
  if (value.length > MAX_SECRET) throw invalid(`${FIELD}.client_secret`, `at most ${MAX_SECRET} characters`);
  return value;
}

export async function providerInputOf(db: Db, accountId: string, provider: qhcV1.OidcProvider): Promise<OidcProviderInput> {
  return {
    name: text('name', provider.name),
    issuerUrl: issuerUrlOf(provider.issuerUrl),
    clientId: text('client_id', provider.clientId),
    scopes: scopesOf(provider.scopes),
    groupsClaim: text('groups_claim', provider.groupsClaim, false) || DEFAULT_GROUPS_CLAIM,
    groupRoles: await mappingsOf(db, accountId, provider.groupRoleMappings),
  };
}
