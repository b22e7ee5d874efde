import { ApiError } from '../errors.ts';
import { hasControlCharacters } from '../text.ts';
import { issueToken, revokeToken, tokenPage } from '../repositories/tokens.ts';
import { pageRequest } from '../pages.ts';
import type { Store } from '../store.ts';
import { backupWarnings, warningHeaders } from '../warnings.ts';
import type { Request, Router } from './http.ts';
import { parseRegionInput, parseResourceInput, RESOURCE_KINDS, type ResourcePath } from './inputs.ts';

/** The caller, refused unless a user. */
export type UserCheck = (req: Request) => Promise<unknown>;

const ok = (json: unknown, status = 200) => ({ status, json });

// Lists: `?limit=&pageToken=` (pages.ts), answered as { items, nextPageToken? } (@qhc/schemas Page).
export function regionRoutes(router: Router, store: Store, user: UserCheck): void {
  router.on('GET', '/api/v1/regions', async (req) => (await user(req), ok(await store.regions(pageRequest(req.query)))));
  router.on('POST', '/api/v1/regions', async (req) => {
    await user(req);
    return ok(await store.createRegion(parseRegionInput(await req.body(), store.defaults)), 201);
  });
  router.on('GET', '/api/v1/regions/:region', async (req) => (await user(req), ok(await store.region(req.params.region!))));
  router.on('PUT', '/api/v1/regions/:region', async (req) => {
    await user(req);
    const stored = await store.region(req.params.region!);
    // The spec's own name: an environment's (the Cloud API's) differs from the region's display name.
    return ok(await store.updateRegion(stored, parseRegionInput(await req.body(), store.defaults, stored.spec.name)));
  });
  router.on('DELETE', '/api/v1/regions/:region', async (req) => (await user(req), await store.deleteRegion(req.params.region!), { status: 204 }));
}

/** Backups, backup schedules and restores, each under its path. */
export function resourceRoutes(router: Router, store: Store, user: UserCheck): void {
  for (const path of Object.keys(RESOURCE_KINDS) as ResourcePath[]) {
    router.on('GET', `/api/v1/regions/:region/${path}`, async (req) => {
      await user(req);
      return ok(await store.resourcePage(req.params.region!, path, pageRequest(req.query)));
    });
    router.on('POST', `/api/v1/regions/:region/${path}`, async (req) => {
      await user(req);
      const region = await store.region(req.params.region!);
      const created = await store.createResource(region, path, parseResourceInput(path, await req.body()));
      const warnings = path === 'restores' ? [] : backupWarnings(await store.region(req.params.region!));
      return { ...ok(created, 201), headers: warningHeaders(warnings) };
    });
    router.on('DELETE', `/api/v1/regions/:region/${path}/:name`, async (req) => {
      await user(req);
      await store.deleteResource(req.params.region!, path, req.params.name!);
      return { status: 202, json: { message: 'the agent deletes it in the region' } };
    });
  }
}

/** User tokens, and a region's bootstrap and agent tokens (listed; made by installation-routes and the agent). */
export function tokenRoutes(router: Router, store: Store, user: UserCheck): void {
  const { db, now } = store;
  router.on('GET', '/api/v1/tokens', async (req) => (await user(req), ok(await tokenPage(db, undefined, pageRequest(req.query, 2)))));
  router.on('POST', '/api/v1/tokens', async (req) => {
    await user(req);
    const body = (await req.body()) as { name?: unknown };
    if (typeof body.name !== 'string' || !body.name) throw new ApiError(400, 'Invalid', 'name: give the token a name (who or what uses it)');
    if (body.name.length > 128 || hasControlCharacters(body.name))
      throw new ApiError(400, 'Invalid', 'name: at most 128 characters on one line, without control characters');
    return ok(await issueToken(db, 'user', body.name, { now }), 201);
  });
  router.on('GET', '/api/v1/regions/:region/tokens', async (req) => {
    await user(req);
    return ok(await tokenPage(db, (await store.region(req.params.region!)).id, pageRequest(req.query, 2)));
  });
  router.on('DELETE', '/api/v1/tokens/:id', async (req) => {
    await user(req);
    if (!(await revokeToken(db, req.params.id!, now))) throw new ApiError(404, 'NotFound', `token ${req.params.id} does not exist or is already revoked`);
    return { status: 204 };
  });
}
