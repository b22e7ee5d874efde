import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import { qhcV1 } from '@qhc/cloud-api';
import { isUniqueViolation } from '../../db/db.ts';
import {
  deleteOidcProvider,
  groupRolesOf,
  insertOidcProvider,
  listOidcProviders,
  oidcProviderOf,
  scopesOf,
  signInOptions,
  updateOidcProvider,
  type OidcProviderRow,
} from '../../repositories/oidc-providers.ts';
import { callerOf, type CloudDeps } from '../context.ts';
import { invalid, uuidField } from '../qhc/fields.ts';
import { clientSecretOf, providerInputOf } from './validate.ts';

// qhc.v1.SsoService: an account's OpenID Connect providers. The client secret goes in and never
// comes back out; the sign-in itself is served by the /auth/oidc routes (routes.ts).

export const startPathOf = (providerId: string) => `/auth/oidc/${providerId}/start`;

/** A stored provider as the API answers it: everything but the client secret. */
export const toOidcProvider = (row: OidcProviderRow) =>
  create(qhcV1.OidcProviderSchema, {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    issuerUrl: row.issuer_url,
    clientId: row.client_id,
    scopes: scopesOf(row),
    groupsClaim: row.groups_claim,
    groupRoleMappings: groupRolesOf(row).map((m) => create(qhcV1.GroupRoleMappingSchema, { group: m.group, roleId: m.role_id })),
    createdAt: timestampFromDate(new Date(row.created_at)),
    lastModifiedAt: timestampFromDate(new Date(row.last_modified_at)),
  });

const notFound = (id: string) => new ConnectError(`oidc provider ${id} not found in the account`, Code.NotFound);

/** A name taken in the account is AlreadyExists naming the field, not the constraint. */
async function unique<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConnectError(`oidc_provider.name: the account already has a provider named ${name}`, Code.AlreadyExists);
    throw error;
  }
}

function providerOfRequest(provider: qhcV1.OidcProvider | undefined): qhcV1.OidcProvider {
  if (!provider) throw invalid('oidc_provider', 'missing');
  return provider;
}

export function ssoService(deps: CloudDeps): Partial<ServiceImpl<typeof qhcV1.SsoService>> {
  const { db, now } = deps;
  return {
    async listOidcProviders(_req, ctx) {
      return { items: (await listOidcProviders(db, callerOf(ctx).accountId)).map(toOidcProvider) };
    },
    async getOidcProvider(req, ctx) {
      const id = uuidField('oidc_provider_id', req.oidcProviderId);
      const row = await oidcProviderOf(db, callerOf(ctx).accountId, id);
      if (!row) throw notFound(id);
      return { oidcProvider: toOidcProvider(row) };
    },
    async createOidcProvider(req, ctx) {
      const { accountId } = callerOf(ctx);
      const provider = providerOfRequest(req.oidcProvider);
      if (provider.id !== '') throw invalid('oidc_provider.id', 'set by the server; leave it empty');
      const input = await providerInputOf(db, accountId, provider);
      const secret = clientSecretOf(provider.clientSecret, true)!;
      const row = await unique(input.name, () => insertOidcProvider(db, accountId, input, secret, now));
      return { oidcProvider: toOidcProvider(row) };
    },
    async updateOidcProvider(req, ctx) {
      const { accountId } = callerOf(ctx);
      const provider = providerOfRequest(req.oidcProvider);
      const id = uuidField('oidc_provider.id', provider.id);
      const input = await providerInputOf(db, accountId, provider);
      const secret = clientSecretOf(provider.clientSecret, false);
      const row = await unique(input.name, () => updateOidcProvider(db, accountId, id, input, secret, now));
      if (!row) throw notFound(id);
      return { oidcProvider: toOidcProvider(row) };
    },
    async deleteOidcProvider(req, ctx) {
      const id = uuidField('oidc_provider_id', req.oidcProviderId);
      if (!(await deleteOidcProvider(db, callerOf(ctx).accountId, id))) throw notFound(id);
      return {};
    },
    async listSignInOptions() {
      const rows = await signInOptions(db);
      return {
        items: rows.map((r) =>
          create(qhcV1.SignInOptionSchema, { oidcProviderId: r.id, oidcProviderName: r.name, accountName: r.account_name, startPath: startPathOf(r.id) }),
        ),
      };
    },
  };
}
