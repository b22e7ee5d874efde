// Response bodies, read loosely: the assertions say what they must hold.
// oxlint-disable-next-line typescript/no-explicit-any
export type Body = any;

export interface ApiAnswer {
  status: number;
  json: Body;
  headers: globalThis.Headers;
  text: string;
}

/** One request to the control plane; the body as JSON when it is JSON, else as text. */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<ApiAnswer> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  const text = await res.text();
  let json: Body;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json, headers: res.headers, text };
}

/** A request as a caller: `token` as the Bearer token unless the call gives its own (null: none). */
export type Call = (method: string, path: string, body?: unknown, token?: string | null) => Promise<ApiAnswer>;

/** Calls to the control plane at `url()` (read on each call: a restarted control plane has a new one). */
export function caller(url: () => string, token: string | null): Call {
  return (method, path, body, as = token) => callApi(url(), method, path, { body, headers: as ? { authorization: `Bearer ${as}` } : {} });
}
