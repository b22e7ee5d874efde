// The REST gateway's refusals: grpc-gateway's `{code, message, details}` with the HTTP status of
// the code, bodies bounded before they are parsed, and nothing written for a refused request.
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callApi } from './support/http.ts';
import { cloudPlane, type CloudPlane } from './support/cloud.ts';

const keysPath = (plane: CloudPlane, account = plane.cp.accountId) => `/api/auth/v1/accounts/${account}/management-keys`;

/** A raw request: a body of any text, sent chunked (no content-length) when `chunked`. */
function send(url: string, method: string, path: string, headers: Record<string, string>, body: string, chunked = false) {
  return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    if (!chunked) req.setHeader('content-length', Buffer.byteLength(body));
    for (let at = 0; at < body.length; at += 65_536) req.write(body.slice(at, at + 65_536));
    req.end();
  });
}

/** grpc-gateway's error body. */
const error = (code: number, message: string | RegExp) => ({
  code,
  message: typeof message === 'string' ? message : expect.stringMatching(message),
  details: [],
});

describe('REST errors', () => {
  const plane = cloudPlane('sqlite', { https: false });
  const rest = (method: string, path: string, body?: unknown, headers: Record<string, string> = plane.auth()) =>
    callApi(plane.cp.url, method, path, { body, headers });

  it('answers each refusal with its HTTP status and gRPC code, writing nothing', async () => {
    const before = await plane.digest();
    const other = randomUUID();
    const cases: Array<[string, string, unknown, Record<string, string> | undefined, number, ReturnType<typeof error>]> = [
      ['GET', keysPath(plane), undefined, {}, 401, error(16, /^missing authorization/)],
      ['GET', keysPath(plane), undefined, { authorization: 'Bearer x' }, 401, error(16, /^malformed authorization/)],
      ['GET', keysPath(plane, other), undefined, undefined, 403, error(7, `account_id: the management key does not belong to account ${other}`)],
      ['GET', keysPath(plane, 'acme'), undefined, undefined, 400, error(3, 'account_id: "acme" is not a UUID')],
      ['POST', keysPath(plane, other), {}, undefined, 403, error(7, `management_key.account_id: the management key does not belong to account ${other}`)],
      ['POST', keysPath(plane), { managementKey: { colour: 'blue' } }, undefined, 400, error(3, /key "colour" is unknown/)],
      ['POST', keysPath(plane), { colour: 'blue' }, undefined, 400, error(3, /key "colour" is unknown/)],
      ['DELETE', `${keysPath(plane)}/${other}`, undefined, undefined, 404, error(5, `management key ${other} does not exist`)],
      ['DELETE', `${keysPath(plane)}/nope`, undefined, undefined, 400, error(3, 'management_key_id: "nope" is not a UUID')],
      ['PUT', keysPath(plane), {}, undefined, 405, error(12, `PUT is not allowed on ${keysPath(plane)}; use GET, POST`)],
      ['POST', '/api/openapi.json', {}, undefined, 405, error(12, 'POST is not allowed on /api/openapi.json; use GET')],
    ];
    for (const [method, path, body, headers, status, json] of cases) {
      const answer = await rest(method, path, body, headers ?? plane.auth());
      expect([method, path, answer.status, answer.json]).toEqual([method, path, status, json]);
    }
    expect(await plane.digest()).toEqual(before);
  });

  it('refuses a body that is not JSON or nests too deep, naming why', async () => {
    const before = await plane.digest();
    const notJson = await send(plane.cp.url, 'POST', keysPath(plane), plane.auth(), '{"managementKey":');
    expect(notJson).toEqual({ status: 400, json: error(3, /^the request body is not JSON/) });
    const deep = await send(plane.cp.url, 'POST', keysPath(plane), plane.auth(), `${'['.repeat(100)}${']'.repeat(100)}`);
    expect(deep).toEqual({ status: 400, json: error(3, /nests objects or arrays more than 64 levels deep/) });
    expect(await plane.digest()).toEqual(before);
  });

  it('refuses a 5 MB body before parsing it, whether its length is declared or not', async () => {
    const before = await plane.digest();
    // Not JSON: had it been parsed, the answer would be 400 "not JSON".
    const body = `{${'x'.repeat(5 * 1024 * 1024)}`;
    for (const chunked of [false, true]) {
      const answer = await send(plane.cp.url, 'POST', keysPath(plane), plane.auth(), body, chunked);
      expect(answer).toEqual({ status: 413, json: error(8, /is larger than 4194304 bytes$/) });
    }
    expect(await plane.digest()).toEqual(before);
  });
});
