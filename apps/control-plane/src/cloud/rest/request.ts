import { fromJson, mergeFromJson, ScalarType, type DescField, type DescMessage, type JsonObject, type JsonValue } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import type { RestRoute } from './routes.ts';

// A REST request as the rpc's request message, the way grpc-gateway maps it: the body (all of
// it, or one field), then the template's path variables, then (without a `*` body) the query.

const invalid = (message: string) => new ConnectError(message, Code.InvalidArgument);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A path or query text as the proto3 JSON value of its field: JSON takes strings for numbers and well-known types, not for bools. */
function jsonValueOf(field: DescField, raw: string, name: string): JsonValue {
  const scalar = field.fieldKind === 'scalar' || field.fieldKind === 'list' ? field.scalar : undefined;
  const isEnum = field.fieldKind === 'enum' || (field.fieldKind === 'list' && field.listKind === 'enum');
  if (field.fieldKind === 'map') throw invalid(`${name}: a map field cannot be set from the query`);
  if (scalar === ScalarType.BOOL) {
    if (raw !== 'true' && raw !== 'false') throw invalid(`${name}: expected true or false, got ${JSON.stringify(raw.slice(0, 64))}`);
    return raw === 'true';
  }
  if (isEnum && /^-?\d+$/.test(raw)) return Number(raw);
  return raw;
}

/** The field a dotted key names, by proto names or JSON names (`management_key.account_id`, `managementKey.accountId`). */
function resolve(message: DescMessage, key: string): { field: DescField; path: string[] } | undefined {
  let desc: DescMessage | undefined = message;
  let field: DescField | undefined;
  const path: string[] = [];
  for (const part of key.split('.')) {
    field = desc?.fields.find((f) => f.name === part || f.jsonName === part);
    if (!field) return undefined;
    path.push(field.name);
    desc = field.fieldKind === 'message' ? field.message : undefined;
  }
  return field ? { field, path } : undefined;
}

function setAt(target: JsonObject, path: string[], value: JsonValue, append: boolean): void {
  let node = target;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as JsonObject;
  const last = path.at(-1)!;
  node[last] = append ? [...((node[last] as JsonValue[] | undefined) ?? []), value] : value;
}

function paramsJson(route: RestRoute, pathValues: string[], query: URLSearchParams): JsonObject {
  const params: JsonObject = {};
  if (route.body === '*' && query.size > 0) throw invalid(`query parameter ${[...query.keys()][0]}: ${route.method.name} takes every field from the body`);
  for (const [key, raw] of query) {
    const found = resolve(route.method.input, key);
    if (!found) throw invalid(`query parameter ${key}: ${route.method.input.typeName} has no such field`);
    setAt(params, found.path, jsonValueOf(found.field, raw, `query parameter ${key}`), found.field.fieldKind === 'list');
  }
  // Path variables last: the URL's account and ids win over the same fields in a body or query.
  route.variables.forEach((variable, i) => {
    const found = resolve(route.method.input, variable.path)!;
    setAt(params, found.path, jsonValueOf(found.field, pathValues[i]!, variable.path), false);
  });
  return params;
}

/** The body as the part of the message the rule gives it. */
function bodyJson(route: RestRoute, body: JsonValue | undefined): JsonValue {
  if (body === undefined || route.body === '') return {};
  if (route.body === '*') return body;
  return { [route.body]: body };
}

export function requestMessage(route: RestRoute, pathValues: string[], query: URLSearchParams, body: JsonValue | undefined) {
  const input = route.method.input;
  let message;
  try {
    message = fromJson(input, bodyJson(route, body), { ignoreUnknownFields: false });
  } catch (error) {
    throw invalid(`the request body: ${reason(error)}`);
  }
  const params = paramsJson(route, pathValues, query);
  try {
    mergeFromJson(input, message, params, { ignoreUnknownFields: false });
  } catch (error) {
    throw invalid(`the path or query: ${reason(error)}`);
  }
  return message;
}
