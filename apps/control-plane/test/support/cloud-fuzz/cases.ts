// Fuzz cases for the Cloud API's REST gateway: a route of the route table (every unary rpc's
// google.api.http binding), its path and query values, a body from the request's descriptor (or
// random JSON, or hostile text), and a credential (the management key, mostly).
import fc from 'fast-check';
import type { RestRoute } from '../../../src/cloud/rest/routes.ts';
import { known, messageValue, type Json } from './values.ts';

export interface CloudCase {
  route: RestRoute;
  /** The path with its variables filled, percent-encoded unless hostile. */
  path: string;
  query: string;
  /** Raw body text, or undefined for none. */
  body?: string;
  credential: 'key' | 'none' | 'unknown' | 'malformed';
}

/** A path variable: the account (mostly) for account_id, known or random ids, or hostile segments sent raw. */
function segment(path: string): fc.Arbitrary<string> {
  const raw = fc.constantFrom('%ZZ', '%00', '..', 'a%2Fb', 'x'.repeat(3000), '%C3%A9');
  const ids = fc.oneof(
    fc.constantFrom(...known.ids, known.accountId),
    fc.uuid(),
    fc.string({ maxLength: 12 }).filter((s) => s.length > 0 && !s.includes('/')),
  );
  const value = path.endsWith('account_id') ? fc.oneof({ weight: 9, arbitrary: fc.constant(known.accountId) }, { weight: 1, arbitrary: ids }) : ids;
  return fc.oneof({ weight: 9, arbitrary: value.map((v) => encodeURIComponent(v)) }, { weight: 1, arbitrary: raw });
}

function pathOf(route: RestRoute): fc.Arbitrary<string> {
  const parts = route.template.split(/\{[^}]*\}/);
  return fc.tuple(...route.variables.map((v) => segment(v.path))).map((values) => parts.reduce((out, part, i) => out + part + (values[i] ?? ''), ''));
}

/** Query parameters: top-level fields not in the path, sometimes an unknown one or a repeated one. */
function queryOf(route: RestRoute): fc.Arbitrary<string> {
  if (route.body === '*') return fc.constant('');
  const inPath = route.variables.map((v) => v.path.split('.')[0]!);
  const fields = route.method.input.fields.filter((f) => !inPath.includes(f.name) && f.name !== route.body);
  const pair = fc.oneof(
    {
      weight: 6,
      arbitrary: fields.length
        ? fc.tuple(fc.constantFrom(...fields.map((f) => f.name)), fc.oneof(fc.integer({ min: -2, max: 300 }).map(String), fc.string({ maxLength: 10 })))
        : fc.constant(['page_size', '5'] as [string, string]),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('unknown', 'pageSize', 'page_size'), fc.constantFrom('1', '', 'x', '-1')) },
  );
  return fc.array(pair, { maxLength: 3 }).map((pairs) => new URLSearchParams(pairs).toString());
}

function bodyOf(route: RestRoute): fc.Arbitrary<string | undefined> {
  if (!route.body) return fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant('{}') });
  const message = route.body === '*' ? route.method.input : route.method.input.fields.find((f) => f.name === route.body)!.message!;
  const skip = route.body === '*' ? route.variables.map((v) => v.path.split('.')[0]!) : [];
  const hostile = fc.constantFrom('not json', `${'['.repeat(100)}${']'.repeat(100)}`, `{"a":"${'x'.repeat(200_000)}"}`, '', 'null', '[]', '{"unknownField":1}');
  return fc.oneof(
    { weight: 7, arbitrary: messageValue(message, 0, skip).map((v: Json) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: hostile },
  );
}

export function cloudCase(routes: readonly RestRoute[]): fc.Arbitrary<CloudCase> {
  return fc
    .constantFrom(...routes)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        path: pathOf(route),
        query: queryOf(route),
        body: bodyOf(route),
        credential: fc.oneof(
          { weight: 17, arbitrary: fc.constant('key' as const) },
          { weight: 1, arbitrary: fc.constantFrom('none' as const, 'unknown' as const, 'malformed' as const) },
        ),
      }),
    );
}
