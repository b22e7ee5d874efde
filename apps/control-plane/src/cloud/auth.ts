import { getOption, hasOption, type DescField, type DescMessage, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';
import { commonV1 } from '@qhc/cloud-api';
import { findCloudSession } from '../repositories/cloud-sessions.ts';
import { findManagementKey, managementKeyPrefix } from '../repositories/management-keys.ts';
import { CSRF_HEADER, csrfTokenMatches } from '../sessions.ts';
import { iso } from '../repositories/tokens.ts';
import { checkAccountApproved } from '../iam/account-state.ts';
import { permissionsIn } from '../iam/effective-permissions.ts';
import { checkPermissions, needsApprovedAccount, requirementOf } from '../iam/method-permissions.ts';
import { findUserSession } from '../repositories/user-sessions.ts';
import { CALLER, IDENTITY, type Caller, type CloudDeps, type Identity } from './context.ts';
import { sessionSecretOf } from './qhc/session-cookie.ts';

// Authentication and the account check of every Cloud API call, in one place: gRPC, gRPC-Web,
// Connect and the REST gateway (which calls through the same router) all pass here. A call
// authenticates with a management key, or (the console) with a session cookie and its CSRF token.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** The management key of `authorization: apikey <key>` (as Qdrant Cloud; a Bearer token is not a management key). */
function keyOf(header: string | null): string {
  if (!header) throw new ConnectError('missing authorization: send the header `authorization: apikey <management key>`', Code.Unauthenticated);
  const match = /^apikey\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    // The scheme is named back only when it looks like one: a bare key must never be echoed or logged.
    const scheme = /^([A-Za-z]{1,20})\s/.exec(header)?.[1];
    throw new ConnectError(
      `malformed authorization: expected \`apikey <management key>\`, got ${scheme ? `the scheme ${JSON.stringify(scheme)}` : 'no scheme'}`,
      Code.Unauthenticated,
    );
  }
  return match[1]!;
}

/** The identity of a key that exists, was not deleted and has not expired. */
export async function authenticate(deps: CloudDeps, header: string | null): Promise<Identity & { managementKeyId: string }> {
  const row = await findManagementKey(deps.db, keyOf(header));
  if (!row) throw new ConnectError('unknown management key', Code.Unauthenticated);
  if (row.deleted_at) throw new ConnectError('the management key was deleted', Code.Unauthenticated);
  if (row.expires_at !== null && row.expires_at <= iso(deps.now))
    throw new ConnectError(`the management key expired at ${row.expires_at}`, Code.Unauthenticated);
  const keyLink = { id: row.id, created_by: row.created_by, deleted_at: row.deleted_at, expires_at: row.expires_at };
  return { accountId: row.account_id, principal: { kind: 'management_key', id: row.id, prefix: row.prefix }, managementKeyId: row.id, keyLink };
}

/** The cookie's session's CSRF token must come with it (the cookie alone is what a cross-site request carries). */
export const checkCsrf = (secret: string, csrfToken: string | null) => {
  if (!csrfTokenMatches(secret, csrfToken ?? undefined))
    throw new ConnectError(`send the session's CSRF token (qhc.v1.SessionService/GetSession) in the ${CSRF_HEADER} header`, Code.Unauthenticated);
};

/**
 * The identity of a console session: the cookie's session, live and with a live key, and the
 * session's CSRF token in `x-csrf-token` (the cookie alone is what a cross-site request carries).
 */
export async function authenticateSession(deps: CloudDeps, secret: string, csrfToken: string | null): Promise<Identity> {
  const session = await findCloudSession(deps.db, secret, deps.now);
  // Not a key's session: a person's (no key), found with its user while they are active and a member.
  if (!session) return authenticateUserSession(deps, secret, csrfToken);
  checkCsrf(secret, csrfToken);
  const prefix = (await managementKeyPrefix(deps.db, session.management_key_id)) ?? '';
  return {
    accountId: session.account_id,
    principal: { kind: 'management_key', id: session.management_key_id, prefix },
    managementKeyId: session.management_key_id,
  };
}

/** The identity of a person's console session: they act in the session's account, of which they are still a member. */
export async function authenticateUserSession(deps: CloudDeps, secret: string, csrfToken: string | null): Promise<Identity> {
  const session = await findUserSession(deps.db, secret, deps.now);
  if (!session)
    throw new ConnectError(
      'the session expired, was signed out, or its management key was deleted or expired, or its user left the account; sign in again',
      Code.Unauthenticated,
    );
  checkCsrf(secret, csrfToken);
  return { accountId: session.accountId, principal: { kind: 'user', id: session.userId, email: session.email, sessionId: session.id } };
}

/** A management key when one is sent (API clients), else the console's session cookie. */
export function authenticateRequest(deps: CloudDeps, headers: Headers): Promise<Identity> {
  const authorization = headers.get('authorization');
  const secret = sessionSecretOf(headers);
  if (authorization === null && secret !== undefined) return authenticateSession(deps, secret, headers.get(CSRF_HEADER));
  return authenticate(deps, authorization);
}

/** Which request field holds the account id: the method's account_id_expression, else `account_id`; undefined: none. */
export function accountField(method: DescMethod): string | undefined {
  if (hasOption(method, commonV1.account_id_expression)) return getOption(method, commonV1.account_id_expression) || undefined;
  // No option: `account_id` if the request has one (a method without it is not about an account).
  return method.input.fields.some((f) => f.name === 'account_id') ? 'account_id' : undefined;
}

/** Every method's account field exists (a proto's expression naming no field is found at start, not on a call). */
export function checkAccountFields(services: readonly DescService[]): void {
  for (const service of services)
    for (const method of service.methods) {
      const path = accountField(method);
      if (path) valueAt(method.input, undefined, path);
    }
}

/** The value at a dotted path of proto field names (`management_key.account_id`); undefined when a message on the way is unset. */
export function valueAt(desc: DescMessage, message: unknown, path: string): unknown {
  let schema: DescMessage | undefined = desc;
  let value: unknown = message;
  for (const name of path.split('.')) {
    const field: DescField | undefined = schema?.fields.find((f) => f.name === name);
    if (!field) throw new ConnectError(`${desc.typeName} has no field ${path}`, Code.Internal);
    value = (value as Record<string, unknown> | undefined)?.[field.localName];
    schema = field.fieldKind === 'message' ? field.message : undefined;
  }
  return value;
}

/**
 * The request's account must be the caller's. Another account's id answers PermissionDenied, as
 * Qdrant Cloud does for the account id itself; another account's OBJECT ids answer NotFound (in
 * the services), so ids of other accounts' objects are never confirmed.
 */
export function checkAccount(method: DescMethod, message: unknown, caller: Identity): void {
  const path = accountField(method);
  if (!path) return;
  const value = valueAt(method.input, message, path);
  if (typeof value !== 'string' || value === '') throw new ConnectError(`${path}: missing; the account id is required`, Code.InvalidArgument);
  if (!isUuid(value)) throw new ConnectError(`${path}: ${JSON.stringify(value.slice(0, 64))} is not a UUID`, Code.InvalidArgument);
  if (value.toLowerCase() !== caller.accountId.toLowerCase()) {
    const whose = caller.principal.kind === 'user' ? 'you are not a member of' : 'the management key does not belong to';
    throw new ConnectError(`${path}: ${whose} account ${value}`, Code.PermissionDenied);
  }
}

/** `requires_authentication = false` methods (a public catalogue) skip the key and the account check. */
export const isPublic = (method: DescMethod) => hasOption(method, commonV1.requires_authentication) && !getOption(method, commonV1.requires_authentication);

/**
 * The caller's permissions in the request's account (the account check passed, so it is the
 * caller's own), held to the method's `permissions` option; then an account awaiting approval
 * is refused what would change its resources.
 */
export async function authorize(deps: CloudDeps, method: DescMethod, identity: Identity): Promise<Caller> {
  const { keyLink, ...who } = identity;
  const { permissions, voidReason } = await permissionsIn(deps.db, identity.accountId, identity.principal, deps.now, keyLink);
  const caller: Caller = { ...who, permissions };
  // A key whose maker left (or lost the key it was made with) is told why, not only what it lacks.
  if (voidReason && requirementOf(method).permissions.length > 0) throw new ConnectError(voidReason, Code.PermissionDenied);
  checkPermissions(method, caller.permissions);
  if (needsApprovedAccount(method)) await checkAccountApproved(deps.db, caller.accountId);
  return caller;
}

export function authInterceptor(deps: CloudDeps): Interceptor {
  return (next) => async (req) => {
    if (isPublic(req.method)) return next(req);
    // The Cloud API's adapter authenticated the headers before reading the body; other callers (REST's router) here.
    const identity = req.contextValues.get(IDENTITY) ?? (await authenticateRequest(deps, req.header));
    // Every Cloud API rpc is unary; a streaming one would need its first message read here.
    if (req.stream) throw new ConnectError('streaming calls are not served', Code.Unimplemented);
    checkAccount(req.method, req.message, identity);
    req.contextValues.set(CALLER, await authorize(deps, req.method, identity));
    return next(req);
  };
}
