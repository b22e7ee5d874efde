import { at } from './problems.ts';
import { protoPathInside } from './k8s-shapes.ts';

// Where a problem the Region schema found sits in the configuration message: the spec is
// derived from the message, so each spec path leads back to the field it came from.

/** Which typed fields were set (they, not advanced_operator_settings, are named for their spec paths). */
export interface TypedFields {
  storage: { db: boolean; snapshot: boolean; snapshotClass: boolean };
  /** How many ingress/egress rules came from advanced_operator_settings: the typed ones follow them. */
  ingressFrom: number | undefined;
  egressFrom: number | undefined;
  /** The node selector's keys in the order sent. */
  nodeSelectorKeys: readonly string[];
}

const ADVANCED: Record<string, string> = {
  containerRegistryUrl: 'container_registry_url',
  chartRepositoryUrl: 'chart_repository_url',
  caCertificate: 'ca_certificates',
  logLevel: 'log_level',
};
const PROXY: Record<string, string> = { httpProxy: 'http_proxy_url', httpsProxy: 'https_proxy_url', noProxy: 'no_proxy_configs' };

function advancedPath(base: string, rest: ReadonlyArray<PropertyKey>, typed: TypedFields): string {
  const [field, ...inner] = rest;
  if (field === 'proxy' && typeof inner[0] === 'string' && PROXY[inner[0]]) return at(base, PROXY[inner[0]]!, ...(inner.slice(1) as number[]));
  if (field === 'nodeSelector') {
    const index = typed.nodeSelectorKeys.indexOf(String(inner[0]));
    return index >= 0 ? at(base, 'node_selector', index) : at(base, 'node_selector');
  }
  if (field === 'tolerations') return protoPathInside(at(base, 'tolerations'), inner);
  return at(base, ADVANCED[String(field)] ?? String(field));
}

function operatorSettingsPath(base: string, rest: ReadonlyArray<PropertyKey>, typed: TypedFields): string {
  const key = rest.join('.');
  if (key === 'settings.storage.default_storage_class_names.db' && typed.storage.db) return at(base, 'database_storage_class');
  if (key === 'settings.storage.default_storage_class_names.snapshot' && typed.storage.snapshot) return at(base, 'snapshot_storage_class');
  if (key === 'settings.storage.snapshot_class' && typed.storage.snapshotClass) return at(base, 'volume_snapshot_storage_class');
  if (key.startsWith('settings.qdrant.networkPolicies.') && typeof rest[4] === 'number') {
    const [side, index] = [rest[3] as 'ingress' | 'egress', rest[4]];
    const from = side === 'ingress' ? typed.ingressFrom : typed.egressFrom;
    if (from !== undefined && index >= from) return protoPathInside(at(base, side, index - from), rest.slice(5));
  }
  return at(base, 'advanced_operator_settings', ...(rest as Array<string | number>));
}

/** The configuration field (under `base`) a problem at `path` of the derived Region is about. */
export function configurationPath(base: string, path: ReadonlyArray<PropertyKey>, typed: TypedFields): string {
  const [head, ...rest] = path;
  if (head === 'advanced') return advancedPath(base, rest, typed);
  if (head === 'operatorSettings') return operatorSettingsPath(base, rest, typed);
  return at(base, ...(path as Array<string | number>));
}
