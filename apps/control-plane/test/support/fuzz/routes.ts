import { Router } from '../../../src/api/http.ts';
import { routes } from '../../../src/api/routes.ts';
import type { Store } from '../../../src/store.ts';

export interface RegisteredRoute {
  method: string;
  /** As registered: `/api/v1/regions/:region`. */
  path: string;
  /** The `:name` parameters, in order. */
  params: string[];
}

/**
 * Every route `routes()` registers, read from the router itself (not a hand-kept list), so a
 * route added tomorrow is fuzzed, and counted, without touching the fuzzer.
 */
export function registeredRoutes(): RegisteredRoute[] {
  const seen: RegisteredRoute[] = [];
  const original = Router.prototype.on;
  Router.prototype.on = function (this: Router, method, path, handler) {
    seen.push({ method, path, params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!) });
    return original.call(this, method, path, handler);
  };
  try {
    // Building the router touches no database: the store is only read by the handlers.
    routes({ store: { db: undefined } as unknown as Store, publicUrl: 'https://cp.example.test' });
  } finally {
    Router.prototype.on = original;
  }
  return seen;
}

/** `/api/v1/regions/{region}` (OpenAPI) for `/api/v1/regions/:region` (the router). */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'token' ? '{bootstrapToken}' : `{${name}}`));

/** Whether `pathname` is what the router would match for `route`. */
export function matches(route: RegisteredRoute, pathname: string): boolean {
  return new RegExp(`^${route.path.replace(/:(\w+)/g, '([^/]+)')}$`).test(pathname);
}
