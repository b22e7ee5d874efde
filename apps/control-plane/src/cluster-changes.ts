import type { ClusterRecord, Problem, QdrantClusterSpec } from '@qhc/schemas';
import { ApiError } from './errors.ts';

// What a change of a cluster's spec stores and says: its API keys, and the event's words.

type ApiKeys = NonNullable<ClusterRecord['apiKeys']>;

/**
 * The API keys to store with a cluster. A Secret reference in the spec (what the console and the
 * CLI set as "the API key, from this Secret") wins over a generated key of the same kind, which is
 * dropped: the agent would otherwise point the cluster at the generated Secret instead. A key
 * given in the same request as a reference for it is refused (422 naming the spec field); a key
 * that is only the one already stored (e.g. carried by a scale) is not "given".
 */
export function keysToStore(spec: Pick<QdrantClusterSpec, 'config'>, given: ApiKeys, stored?: ApiKeys): ApiKeys | null {
  const service = spec.config?.service;
  const kinds = [
    ['apiKey', 'api_key'],
    ['readOnlyApiKey', 'read_only_api_key'],
  ] as const;
  const problems: Problem[] = kinds
    .filter(([key, field]) => service?.[field] !== undefined && given[key] !== undefined && given[key] !== stored?.[key])
    .map(([key, field]) => ({
      path: ['spec', 'config', 'service', field],
      code: 'conflict',
      message: `is a Secret reference, so the ${key} given with it would be ignored: give one or the other`,
    }));
  if (problems.length > 0)
    throw new ApiError(422, 'Invalid', problems.map((p) => `spec.config.service.${String(p.path[3])} ${p.message}`).join('; '), problems);
  const source = given.apiKey || given.readOnlyApiKey ? given : (stored ?? {});
  const keys = Object.fromEntries(kinds.filter(([key, field]) => source[key] && service?.[field] === undefined).map(([key]) => [key, source[key]]));
  return Object.keys(keys).length ? (keys as ApiKeys) : null;
}

const r = (s: ClusterRecord['spec']) => `${s.resources?.cpu ?? '-'} CPU, ${s.resources?.memory ?? '-'} memory, ${s.resources?.storage ?? '-'} storage`;

/** "scale to 3 node(s), version v1.16.3" — what a spec change asked for, in words. */
export function describeSpecChange(before: ClusterRecord['spec'], after: ClusterRecord['spec']): string {
  const changes: string[] = [];
  if (before.size !== after.size) changes.push(`scale to ${after.size} node(s)`);
  if (before.version !== after.version) changes.push(`version ${after.version}`);
  if (r(before) !== r(after)) changes.push(`resources ${r(after)}`);
  if (before.suspend !== after.suspend) changes.push(after.suspend ? 'suspend' : 'resume');
  if (JSON.stringify([before.service, before.ingress]) !== JSON.stringify([after.service, after.ingress]))
    changes.push(`exposure ${after.service?.type ?? 'ClusterIP'}${after.ingress?.enabled ? ` with ingress ${after.ingress.host ?? ''}`.trimEnd() : ''}`);
  if (JSON.stringify([before.nodeSelector, before.tolerations]) !== JSON.stringify([after.nodeSelector, after.tolerations]))
    changes.push('placement (node selector, tolerations)');
  if (before.storage?.volumeSnapshotClassName !== after.storage?.volumeSnapshotClassName)
    changes.push(`volume snapshot class ${after.storage?.volumeSnapshotClassName ?? "the environment's"}`);
  if (before.config?.log_level !== after.config?.log_level) changes.push(`log level ${after.config?.log_level ?? "the environment's"}`);
  if (before.clusterManager !== after.clusterManager)
    changes.push(`rebalancing ${after.clusterManager === undefined ? "the environment's default" : after.clusterManager ? 'on' : 'off'}`);
  if (
    JSON.stringify([before.config?.service?.api_key, before.config?.service?.read_only_api_key]) !==
    JSON.stringify([after.config?.service?.api_key, after.config?.service?.read_only_api_key])
  )
    changes.push('API key secrets');
  return changes.length ? changes.join(', ') : 'spec change';
}
