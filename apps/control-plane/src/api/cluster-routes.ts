import { pageRequest } from '../pages.ts';
import type { Store } from '../store.ts';
import { clusterWarnings, warningHeaders } from '../warnings.ts';
import type { Router } from './http.ts';
import { parseClusterInput, parseSize } from './inputs.ts';
import type { UserCheck } from './region-routes.ts';

const ok = (json: unknown, status = 200) => ({ status, json });

/** A region's clusters. A cluster is looked up before its body is parsed: a missing one is 404 whatever the body. */
export function clusterRoutes(router: Router, store: Store, user: UserCheck): void {
  const base = '/api/v1/regions/:region/clusters';
  router.on('GET', base, async (req) => (await user(req), ok(await store.clusters(req.params.region!, pageRequest(req.query)))));
  router.on('POST', base, async (req) => {
    await user(req);
    const region = await store.region(req.params.region!);
    const created = await store.createCluster(region, parseClusterInput(await req.body()));
    return { ...ok(created, 201), headers: warningHeaders(clusterWarnings(await store.region(req.params.region!), created.spec)) };
  });
  router.on('GET', `${base}/:cluster`, async (req) => (await user(req), ok(await store.cluster(req.params.region!, req.params.cluster!))));
  router.on('PUT', `${base}/:cluster`, async (req) => {
    await user(req);
    const { region, cluster } = req.params as { region: string; cluster: string };
    store.changeable(await store.cluster(region, cluster));
    return ok(await store.updateCluster(region, cluster, parseClusterInput(await req.body(), cluster)));
  });
  router.on('POST', `${base}/:cluster/scale`, async (req) => {
    await user(req);
    const { region, cluster } = req.params as { region: string; cluster: string };
    const body = (await req.body()) as { size?: unknown };
    const found = await store.cluster(region, cluster);
    const size = parseSize(body.size);
    const current = store.changeable(found);
    return ok(await store.updateCluster(region, cluster, parseClusterInput({ spec: { ...current.spec, size }, ...current.apiKeys }, cluster)));
  });
  router.on('GET', `${base}/:cluster/events`, async (req) => {
    await user(req);
    return ok(await store.clusterEvents(req.params.region!, req.params.cluster!, pageRequest(req.query)));
  });
  router.on('POST', `${base}/:cluster/restart`, async (req) => {
    await user(req);
    return ok(await store.restartCluster(req.params.region!, req.params.cluster!));
  });
  router.on('DELETE', `${base}/:cluster`, async (req) => {
    await user(req);
    await store.deleteCluster(req.params.region!, req.params.cluster!);
    return { status: 202, json: { message: 'the agent deletes the cluster and reports it gone' } };
  });
}
