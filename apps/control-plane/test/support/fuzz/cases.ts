import fc from 'fast-check';
import { bodyFor, CLUSTER_NAMES, REGION_NAMES, RESOURCE_NAMES, type Body, type BodyKind } from './bodies.ts';
import type { RegisteredRoute } from './routes.ts';
import { boundaryNumber, hostileString, segmentText } from './values.ts';

/** Who the request claims to be; resolved against the fixture when it is sent. */
export type Credential = 'admin' | 'none' | 'garbage' | 'revoked' | 'agent' | 'bootstrap' | 'session' | 'session-no-csrf' | 'session-cross-site' | 'basic';
/** A path parameter: one that exists now, one from the pools, or an arbitrary segment (already encoded). */
export type Param = { existing: true } | { pool: string } | { raw: string };

export interface FuzzCase {
  route: RegisteredRoute;
  method: string;
  params: Param[];
  /** Raw query string, without `?`. */
  query: string;
  credential: Credential;
  contentType: string | undefined;
  body: Body | undefined;
  bodyKind: BodyKind;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;

/** The body each route takes, from its method and path. */
export function bodyKindOf(route: RegisteredRoute): BodyKind {
  if (route.method === 'GET' || route.method === 'DELETE') return 'none';
  const last = route.path.split('/').at(-1)!;
  const byLast: Record<string, BodyKind> = {
    regions: 'region',
    ':region': 'region',
    clusters: 'cluster',
    ':cluster': 'cluster',
    scale: 'scale',
    backups: 'backups',
    'backup-schedules': 'backup-schedules',
    restores: 'restores',
    tokens: 'token',
    session: 'session',
    status: 'status',
  };
  return byLast[last] ?? 'none';
}

const poolFor = (name: string): readonly string[] =>
  name === 'region' ? REGION_NAMES : name === 'cluster' ? CLUSTER_NAMES : name === 'name' ? RESOURCE_NAMES : ['0', 'nope', 'qhc_b_nope'];
const param = (name: string): fc.Arbitrary<Param> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant<Param>({ existing: true }) },
    { weight: 2, arbitrary: fc.constantFrom(...poolFor(name)).map((pool): Param => ({ pool })) },
    { weight: 2, arbitrary: segmentText.map((raw): Param => ({ raw })) },
  );

/** Query parameters the API reads (and the list routes' paging ones), with good and bad values. */
const QUERY_NAMES = ['after', 'waitSeconds', 'limit', 'pageToken'];
const queryValue = fc.oneof(
  fc.integer({ min: -1, max: 5 }).map(String),
  boundaryNumber.map(String),
  hostileString.map(encodeURIComponentSafe),
  fc.constantFrom('', 'abc', 'NaN', '1e9', '0x1', '%zz', '%', '999999999999999999999'),
  fc.constantFrom('[]', '{}', 'null', '-0', '1.5', '%7B%22a%22%3A1%7D'),
);
const query = fc.oneof(
  { weight: 5, arbitrary: fc.constant('') },
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue), { minLength: 1, maxLength: 3 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  },
  { weight: 1, arbitrary: fc.tuple(hostileString, queryValue).map(([k, v]) => `${encodeURIComponentSafe(k)}=${v}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%',
      '&&&',
      '=',
      'a=%zz',
      'after',
      'after=1&after=2',
      '?=?',
      'waitSeconds=-1e309',
      'after=999999&waitSeconds=abc',
      'after=abc&waitSeconds=1',
    ),
  },
);

function encodeURIComponentSafe(text: string): string {
  return encodeURIComponent(text.toWellFormed());
}

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'Application/JSON',
  '',
  'application/json, text/plain',
];

/** One request against `route`: mostly its own method and body, sometimes anything. */
export function caseFor(route: RegisteredRoute): fc.Arbitrary<FuzzCase> {
  const kind = bodyKindOf(route);
  const ownCredential: Credential = route.path.startsWith('/agent/') ? (route.path.endsWith('/register') ? 'bootstrap' : 'agent') : 'admin';
  return fc.record(
    {
      route: fc.constant(route),
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      params: fc.tuple(...route.params.map(param)),
      // The long-poll's two numbers are where a wait that never ends hides (issue 19, finding 2).
      query:
        route.path === '/agent/v1/desired-state'
          ? fc.oneof(
              query,
              fc.constantFrom('after=999999&waitSeconds=abc', 'after=abc&waitSeconds=1', 'after=abc&waitSeconds=abc', 'after=1e400&waitSeconds=1'),
            )
          : query,
      credential: fc.oneof(
        { weight: 8, arbitrary: fc.constant(ownCredential) },
        {
          weight: 3,
          arbitrary: fc.constantFrom<Credential>(
            'admin',
            'none',
            'garbage',
            'revoked',
            'agent',
            'bootstrap',
            'session',
            'session-no-csrf',
            'session-cross-site',
            'basic',
          ),
        },
      ),
      contentType: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
      body: bodyFor(kind),
      bodyKind: fc.constant(kind),
    },
    { noNullPrototype: true },
  ) as fc.Arbitrary<FuzzCase>;
}

/** Cases over every route, each route equally likely. */
export const anyCase = (routes: RegisteredRoute[]): fc.Arbitrary<FuzzCase> => fc.oneof(...routes.map(caseFor));
