// The control plane's Cloud API (Qdrant Cloud's hybrid-cloud services and qhc.v1), as the
// Terraform provider and qcloud call it: gRPC over TLS HTTP/2 for https:// endpoints, the Connect
// protocol for plain http:// ones. Loaded only by the commands that call it.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { fromJson, toJson, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Client, type Interceptor, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { accountV1, authV1, backupV1, bookingV1, clusterV1, hybridV1, iamV1, qhcV1 } from '@qhc/cloud-api';
import { rememberAnswer } from './answers.ts';
import type { Context } from './config.ts';
import { CliError, EXIT } from './exit.ts';

export type Json = { [key: string]: JsonValue };

/** The Cloud API of one context: a client per service, every call sending the account's management key. */
export class CloudApi {
  readonly url: string;
  readonly accountId: string;
  readonly caFile: string | undefined;
  readonly hybrid: Client<typeof hybridV1.HybridCloudService>;
  readonly clusters: Client<typeof clusterV1.ClusterService>;
  readonly backups: Client<typeof backupV1.BackupService>;
  readonly booking: Client<typeof bookingV1.BookingService>;
  readonly environments: Client<typeof qhcV1.EnvironmentAgentService>;
  readonly extensions: Client<typeof qhcV1.ClusterExtensionService>;
  readonly accounts: Client<typeof accountV1.AccountService>;
  readonly access: Client<typeof qhcV1.AccountAccessService>;
  readonly billing: Client<typeof qhcV1.AccountBillingService>;
  readonly iam: Client<typeof iamV1.IAMService>;
  readonly auth: Client<typeof authV1.AuthService>;
  readonly keyRoles: Client<typeof qhcV1.ManagementKeyRoleService>;
  readonly audit: Client<typeof qhcV1.AuditLogService>;
  readonly sessions: Client<typeof qhcV1.SessionService>;
  private readonly context: Context & { name: string };

  constructor(context: Context & { name: string }) {
    this.context = context;
    this.url = context.url;
    this.accountId = context.accountId;
    this.caFile = context.caFile;
    const transport = cloudTransport(context);
    this.hybrid = createClient(hybridV1.HybridCloudService, transport);
    this.clusters = createClient(clusterV1.ClusterService, transport);
    this.backups = createClient(backupV1.BackupService, transport);
    this.booking = createClient(bookingV1.BookingService, transport);
    this.environments = createClient(qhcV1.EnvironmentAgentService, transport);
    this.extensions = createClient(qhcV1.ClusterExtensionService, transport);
    this.accounts = createClient(accountV1.AccountService, transport);
    this.access = createClient(qhcV1.AccountAccessService, transport);
    this.billing = createClient(qhcV1.AccountBillingService, transport);
    this.iam = createClient(iamV1.IAMService, transport);
    this.auth = createClient(authV1.AuthService, transport);
    this.keyRoles = createClient(qhcV1.ManagementKeyRoleService, transport);
    this.audit = createClient(qhcV1.AuditLogService, transport);
    this.sessions = createClient(qhcV1.SessionService, transport);
  }

  /** The context's name: what `account switch` saves the new account id under. */
  get contextName(): string {
    return this.context.name;
  }

  /** A user's session (not a management key) signs this context's calls. */
  get isUser(): boolean {
    return this.context.session !== undefined;
  }

  /** One call, its ConnectError turned into the CLI's error: the server's message and the gRPC code. */
  async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw cliErrorOf(error, what, this.context);
    }
  }
}

/** A management key as `authorization: apikey`, or a user's session as the console sends it: cookie and CSRF token. */
const authenticate =
  (context: Context): Interceptor =>
  (next) =>
  (req) => {
    if (context.session) {
      req.header.set('cookie', context.session.cookie);
      req.header.set('x-csrf-token', context.session.csrfToken);
    } else if (context.managementKey) req.header.set('authorization', `apikey ${context.managementKey}`);
    return next(req);
  };

/** gRPC (HTTP/2, TLS trusting the context's CA on top of the system's) for https://; Connect for http://. */
export function cloudTransport(context: Context): Transport {
  const interceptors = [authenticate(context)];
  const baseUrl = context.url.replace(/\/$/, '');
  if (baseUrl.startsWith('http://')) return createConnectTransport({ baseUrl, httpVersion: '1.1', interceptors, defaultTimeoutMs: 60_000 });
  const ca = context.caFile ? [...rootCertificates, readFileSync(context.caFile, 'utf8')] : undefined;
  return createGrpcTransport({ baseUrl, interceptors, defaultTimeoutMs: 60_000, ...(ca ? { nodeOptions: { ca } } : {}) });
}

const CODE_EXIT: Partial<Record<Code, number>> = { [Code.NotFound]: EXIT.notFound, [Code.InvalidArgument]: EXIT.usage };

/** `<message> (<code>)`, with what to do for the codes a user can fix. */
export function cliErrorOf(error: unknown, what: string, context: Context & { name: string }): unknown {
  if (error instanceof CliError) return error;
  const e = ConnectError.from(error);
  const codeName = Code[e.code].replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c).toUpperCase();
  const message = `${e.rawMessage} (${codeName})`;
  if (e.code === Code.Unavailable || e.code === Code.Unknown || e.code === Code.Internal) {
    const cause = String((e.cause as { code?: string } | undefined)?.code ?? e.rawMessage);
    if (/CERT|SELF_SIGNED|UNABLE_TO|ECONNREFUSED|ENOTFOUND|EPROTO/.test(cause))
      return new CliError(`cannot reach the control plane at ${context.url} (${what}): ${message}`, {
        hint: /CERT|SELF_SIGNED|UNABLE_TO/.test(cause)
          ? 'its certificate is not trusted: add the CA with `qhc context add … --ca-file <file>`'
          : 'check the URL (`qhc context list`) and that the control plane runs',
      });
  }
  if (e.code === Code.Unauthenticated && context.session)
    return new CliError(`the control plane refused the session of ${context.session.email} (context "${context.name}"): ${message}`, {
      hint: `the session expired or was signed out: run \`qhc login ${context.url} --email ${context.session.email}\` again`,
    });
  if (e.code === Code.Unauthenticated)
    return new CliError(`the control plane refused the management key of context "${context.name}": ${message}`, {
      hint: 'the key is wrong, revoked or expired: run `qhc login` again with another key',
    });
  if (e.code === Code.PermissionDenied) return new CliError(`not allowed: ${message}`, { hint: `check the account id of context "${context.name}"` });
  return new CliError(message, { code: CODE_EXIT[e.code] ?? EXIT.error });
}

/**
 * The message as its proto JSON (what -o json|yaml prints), kept beside `view` (what the
 * tables read) so print() writes the answer itself.
 */
export function viewOf<Desc extends DescMessage, V extends object>(schema: Desc, message: MessageShape<Desc>, view: (json: Json) => V): V {
  const json = toJson(schema, message) as Json;
  return rememberAnswer(view(json), json);
}

export const asJson = <Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Json => toJson(schema, message) as Json;

/** A message from its proto JSON; a field the API does not have is a usage error naming it. */
export function messageOf<Desc extends DescMessage>(schema: Desc, json: unknown, source: string): MessageShape<Desc> {
  try {
    return fromJson(schema, json as JsonValue);
  } catch (error) {
    throw new CliError(`${source}: ${error instanceof Error ? error.message : String(error)}`, {
      code: EXIT.usage,
      hint: `the fields of ${schema.typeName}, in proto JSON (camelCase) names`,
    });
  }
}

/** The largest page the Cloud API's lists serve. */
export const MAX_PAGE_SIZE = 250;

/** Every page of a paged list (page_token / next_page_token), or the first `max` items. */
export async function allPages<T>(
  page: (token: string | undefined, size: number) => Promise<{ items: T[]; nextPageToken?: string }>,
  max?: number,
): Promise<T[]> {
  const items: T[] = [];
  const wanted = max ?? Number.POSITIVE_INFINITY;
  let token: string | undefined;
  for (;;) {
    const answer = await page(token, Math.min(MAX_PAGE_SIZE, wanted - items.length));
    items.push(...answer.items);
    token = answer.nextPageToken || undefined;
    if (!token || items.length >= wanted) return items.slice(0, wanted);
  }
}
