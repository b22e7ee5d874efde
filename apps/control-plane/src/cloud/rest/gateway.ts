import type { ServerResponse } from 'node:http';
import { toJson, type DescMethodUnary, type JsonValue } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { checkBodyDepth } from '../../api/json-limits.ts';
import type { InProcess } from '../audit/in-process.ts';
import { authenticateRequest, isPublic } from '../auth.ts';
import { readBody, type BodyLimits } from '../body.ts';
import { checkEnumNames } from '../json-enums.ts';
import { HTTP_STATUS } from '../codes.ts';
import type { CloudDeps } from '../context.ts';
import { toConnectError } from '../errors.ts';
import { requestContext } from '../remote-address.ts';
import type { AnyRequest, AnyResponse } from '../transport.ts';
import { requestMessage } from './request.ts';
import type { RestRoute } from './routes.ts';

// The REST gateway: a route of the table, the request message built from the URL and body, and
// the call made through the Cloud API's own router (its interceptors: auth stays in one place).

/**
 * An error whose HTTP status says more than its code's: 413 for a body too large, 405 for a verb
 * the path lacks. Not a ConnectError subclass: ConnectError's instanceof accepts any ConnectError.
 */
export class StatusError extends Error {
  readonly code: Code;
  readonly status: number;
  constructor(message: string, code: Code, status: number) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

const API_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** The body as JSON: read under its size and deadline, its shape checked before it is parsed. */
async function readJsonBody(req: AnyRequest, limits: BodyLimits): Promise<JsonValue | undefined> {
  let text: string;
  try {
    text = (await readBody(req, limits)).toString('utf8');
  } catch (error) {
    if (error instanceof ConnectError && error.code === Code.ResourceExhausted) throw new StatusError(error.rawMessage, Code.ResourceExhausted, 413);
    throw error;
  }
  if (!text.trim()) return undefined;
  checkBodyDepth(text);
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ConnectError(`the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`, Code.InvalidArgument);
  }
}

/** The template's variables from the path: one segment percent-decoded, or (`**`) each segment of several. */
function pathValues(route: RestRoute, match: RegExpExecArray): string[] {
  return route.variables.map((variable, i) => {
    const raw = match[i + 1]!;
    try {
      return variable.multi ? raw.split('/').map(decodeURIComponent).join('/') : decodeURIComponent(raw);
    } catch {
      throw new ConnectError(`${variable.path}: ${JSON.stringify(raw.slice(0, 80))} is not valid percent-encoding`, Code.InvalidArgument);
    }
  });
}

/** The credentials (a management key, or the console's session cookie with its CSRF token) and where a browser call came from. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'x-csrf-token', 'sec-fetch-site', 'user-agent']);

/** What the rpc sees of the HTTP request: the credential and qhc/Qdrant Cloud headers, not the transport's own. */
function callHeaders(req: AnyRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string' && (CREDENTIAL_HEADERS.has(name) || name.startsWith('qc-'))) headers.set(name, value);
  return headers;
}

/** The rpc's answer as JSON, the session cookie it set (sign-in and sign-out) and its Warning header, if any. */
export interface RestAnswer {
  json: JsonValue;
  setCookie: string | null;
  warning: string | null;
}

export interface Invocation {
  route: RestRoute;
  match: RegExpExecArray;
  query: URLSearchParams;
}

export async function invoke(deps: CloudDeps, transport: InProcess, req: AnyRequest, call: Invocation, limits: BodyLimits): Promise<RestAnswer> {
  // The credential first, on the headers: a stranger's body is never read (the router checks it again, with the account).
  if (!isPublic(call.route.method))
    await authenticateRequest(deps, callHeaders(req)).catch((error: unknown) => {
      // Refused before the router, whose interceptor logs refusals: logged here instead (warn, never the key).
      throw toConnectError(error, `${call.route.method.parent.typeName}/${call.route.method.name}`, deps.logger);
    });
  const body = call.route.body === '' ? undefined : await readJsonBody(req, limits);
  if (call.route.body === '*') checkEnumNames(call.route.method.input, body);
  const message = requestMessage(call.route, pathValues(call.route, call.match), call.query, body);
  const method = call.route.method as DescMethodUnary;
  // The socket's address, which the router's handlers cannot see from here.
  const response = await transport(requestContext(req)).unary(method, undefined, undefined, callHeaders(req), message);
  // Unset fields too, as grpc-gateway answers by default: a client sees every field's value.
  return {
    json: toJson(method.output, response.message, { alwaysEmitImplicit: true }),
    setCookie: response.header.get('set-cookie'),
    warning: response.header.get('warning'),
  };
}

/** grpc-gateway's error body, `{code, message, details}`, with the HTTP status of the code. */
export function sendError(res: AnyResponse, error: unknown, where: string, deps: CloudDeps): void {
  if (error instanceof StatusError) return send(res, error.status, { code: error.code, message: error.message, details: [] });
  // A call's ConnectError was logged by the router's interceptor already; the gateway's own are logged here.
  const connectError = error instanceof ConnectError ? error : toConnectError(error, where, deps.logger);
  const retryAfter = connectError.metadata.get('retry-after');
  send(
    res,
    HTTP_STATUS[connectError.code],
    { code: connectError.code, message: connectError.rawMessage, details: [] },
    retryAfter ? { 'retry-after': retryAfter } : {},
  );
}

export function send(res: AnyResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  (res as ServerResponse).writeHead(status, { ...API_HEADERS, ...headers }).end(JSON.stringify(json));
}
