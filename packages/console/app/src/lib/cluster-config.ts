import type { ClusterRecord } from '../types.ts';

// The cluster's configuration as the console's forms hold it (strings and switches) and back
// into the spec. Lists are one entry per line: `key=value` for labels and annotations,
// `key=value:Effect` or `key:Effect` for tolerations.

type Spec = ClusterRecord['spec'];
type Toleration = NonNullable<Spec['tolerations']>[number];

export interface ClusterConfigForm {
  nodeSelector: string;
  tolerations: string;
  serviceType: string;
  serviceAnnotations: string;
  ingressEnabled: boolean;
  ingressClass: string;
  ingressHost: string;
  ingressTls: boolean;
  ingressTlsSecret: string;
  ingressAnnotations: string;
  storageClass: string;
  volumeSnapshotClass: string;
  logLevel: string;
  apiKeySecretName: string;
  apiKeySecretKey: string;
  readOnlyApiKeySecretName: string;
  readOnlyApiKeySecretKey: string;
  rebalance: boolean;
}

export const EMPTY_CONFIG: ClusterConfigForm = {
  nodeSelector: '', tolerations: '', serviceType: 'ClusterIP', serviceAnnotations: '', ingressEnabled: false, ingressClass: '', ingressHost: '', ingressTls: false, ingressTlsSecret: '',
  ingressAnnotations: '', storageClass: '', volumeSnapshotClass: '', logLevel: '', apiKeySecretName: '', apiKeySecretKey: 'api-key', readOnlyApiKeySecretName: '', readOnlyApiKeySecretKey: 'read-only-api-key', rebalance: false,
};

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** `key=value` lines into a map; a line without `=` is kept as a key with an empty value, which the API then names. */
export function parsePairs(text: string): Record<string, string> | undefined {
  const entries = lines(text).map((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq).trim(), l.slice(eq + 1).trim()];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}
export const formatPairs = (map: Record<string, string> | undefined) => Object.entries(map ?? {}).map(([k, v]) => `${k}=${v}`).join('\n');

export function parseTolerations(text: string): Toleration[] | undefined {
  const list = lines(text).map((l): Toleration => {
    const m = /^([^=:]+)(?:=([^:]*))?(?::(\S+))?$/.exec(l);
    const [key, value, effect] = m ? [m[1]!.trim(), m[2], m[3]] : [l, undefined, undefined];
    return { key, operator: value !== undefined ? 'Equal' : 'Exists', ...(value !== undefined ? { value } : {}), ...(effect ? { effect: effect as Toleration['effect'] } : {}) } as Toleration;
  });
  return list.length ? list : undefined;
}
export const formatTolerations = (list: Toleration[] | undefined) =>
  (list ?? []).map((t) => `${t.key ?? ''}${t.operator !== 'Exists' && t.value !== undefined ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`).join('\n');

const opt = (v: string) => v.trim() || undefined;
const prune = <T extends Record<string, unknown>>(o: T) => {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? (kept as T) : undefined;
};
const secretRef = (name: string, key: string, fallback: string) => (name.trim() ? { secretKeyRef: { name: name.trim(), key: key.trim() || fallback } } : undefined);

/**
 * The spec with the form's configuration: every field the form shows is set from it (an empty
 * one removed); the rest of `base` is kept, so an edit changes only what the form covers.
 */
export function applyConfig(base: Partial<Spec>, form: ClusterConfigForm): Partial<Spec> {
  const config = base.config ?? {};
  const service = prune({ ...config.service, api_key: secretRef(form.apiKeySecretName, form.apiKeySecretKey, 'api-key'), read_only_api_key: secretRef(form.readOnlyApiKeySecretName, form.readOnlyApiKeySecretKey, 'read-only-api-key') });
  return prune({
    ...base,
    nodeSelector: parsePairs(form.nodeSelector),
    tolerations: parseTolerations(form.tolerations),
    service: { ...base.service, type: form.serviceType as 'ClusterIP', annotations: parsePairs(form.serviceAnnotations) },
    ingress: form.ingressEnabled || base.ingress
      ? prune({ ...base.ingress, enabled: form.ingressEnabled, ingressClassName: opt(form.ingressClass), host: opt(form.ingressHost), tls: form.ingressTls || undefined, tlsSecretName: opt(form.ingressTlsSecret), annotations: parsePairs(form.ingressAnnotations) })
      : undefined,
    storageClassNames: prune({ ...base.storageClassNames, db: opt(form.storageClass) }),
    storage: prune({ ...base.storage, volumeSnapshotClassName: opt(form.volumeSnapshotClass) }),
    config: prune({ ...config, log_level: opt(form.logLevel), service }),
    // Unchanged, it stays as it was: unset means the environment's default.
    clusterManager: form.rebalance === (base.clusterManager ?? false) ? base.clusterManager : form.rebalance,
  }) as Partial<Spec>;
}

/** The form as the spec has it, for editing. */
export function configOf(spec: Partial<Spec>): ClusterConfigForm {
  const apiKey = spec.config?.service?.api_key?.secretKeyRef;
  const readOnly = spec.config?.service?.read_only_api_key?.secretKeyRef;
  return {
    nodeSelector: formatPairs(spec.nodeSelector),
    tolerations: formatTolerations(spec.tolerations),
    serviceType: spec.service?.type ?? 'ClusterIP',
    serviceAnnotations: formatPairs(spec.service?.annotations),
    ingressEnabled: spec.ingress?.enabled ?? false,
    ingressClass: spec.ingress?.ingressClassName ?? '',
    ingressHost: spec.ingress?.host ?? '',
    ingressTls: spec.ingress?.tls ?? false,
    ingressTlsSecret: spec.ingress?.tlsSecretName ?? '',
    ingressAnnotations: formatPairs(spec.ingress?.annotations),
    storageClass: spec.storageClassNames?.db ?? '',
    volumeSnapshotClass: spec.storage?.volumeSnapshotClassName ?? '',
    logLevel: spec.config?.log_level ?? '',
    apiKeySecretName: apiKey?.name ?? '',
    apiKeySecretKey: apiKey?.key ?? 'api-key',
    readOnlyApiKeySecretName: readOnly?.name ?? '',
    readOnlyApiKeySecretKey: readOnly?.key ?? 'read-only-api-key',
    rebalance: spec.clusterManager ?? false,
  };
}
