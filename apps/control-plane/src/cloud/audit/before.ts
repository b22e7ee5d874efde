import type { DescMessage, DescMethod, DescMethodUnary } from '@bufbuild/protobuf';
import { createContextValues, type ContextValues } from '@connectrpc/connect';
import { CALLER, type Caller } from '../context.ts';
import { CSRF_HEADER } from '../../sessions.ts';
import type { InProcess } from './in-process.ts';

// How an object looked before an Update* or Delete* changed it: what the service's Get* answers
// the same caller just before the handler runs (through the router, so its checks apply).

const CHANGE = /^(Update|Delete)(.+)$/;
const CREDENTIAL_HEADERS = ['authorization', 'cookie', CSRF_HEADER];

/** The Get of the object an Update or Delete rpc changes; undefined when the service has none. */
export function getMethodOf(method: DescMethod): DescMethodUnary | undefined {
  const match = CHANGE.exec(method.name);
  if (!match) return undefined;
  const get = method.parent.methods.find((m) => m.name === `Get${match[2]}`);
  return get?.methodKind === 'unary' ? (get as DescMethodUnary) : undefined;
}

type Fields = Record<string, unknown>;

/** The Get's request from the change's: same-named fields, else `<type>_id` from the request's `<type>` object. */
export function getRequestOf(get: DescMessage, change: DescMessage, request: Fields): Fields {
  const init: Fields = {};
  for (const field of get.fields) {
    const same = change.fields.find((f) => f.name === field.name);
    if (same && request[same.localName] !== undefined) {
      init[field.localName] = request[same.localName];
      continue;
    }
    const objectName = field.name.endsWith('_id') ? field.name.slice(0, -'_id'.length) : undefined;
    const object = change.fields.find((f) => f.name === objectName && f.fieldKind === 'message');
    if (object) init[field.localName] = (request[object.localName] as Fields | undefined)?.id;
    // account_id of a request whose object carries it (UpdateCluster's cluster.account_id).
    else if (field.name === 'account_id') {
      const carrier = change.fields.find((f) => f.fieldKind === 'message' && (request[f.localName] as Fields | undefined)?.accountId);
      if (carrier) init[field.localName] = (request[carrier.localName] as Fields).accountId;
    }
  }
  return init;
}

/** The object the Get answers (its response's first set message field), with that field's descriptor. */
export async function fetchBefore(
  inProcess: InProcess,
  method: DescMethod,
  request: unknown,
  caller: Caller,
  header?: Headers,
): Promise<{ desc: DescMessage; message: unknown } | undefined> {
  const get = getMethodOf(method);
  if (!get) return undefined;
  const values: ContextValues = createContextValues();
  values.set(CALLER, caller);
  // The call's credentials too: a Get that reads them (GetSession's cookie) answers as it would the caller.
  const credentials = new Headers();
  for (const name of CREDENTIAL_HEADERS) {
    const value = header?.get(name);
    if (value) credentials.set(name, value);
  }
  const res = await inProcess(values).unary(get, undefined, undefined, credentials, getRequestOf(get.input, method.input, request as Fields) as never);
  const message = res.message as Fields;
  const field = get.output.fields.find((f) => f.fieldKind === 'message' && message[f.localName] !== undefined);
  return field?.fieldKind === 'message' ? { desc: field.message, message: message[field.localName] } : { desc: get.output, message };
}
