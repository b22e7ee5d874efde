import type { ClusterRecord } from '../types.ts';

// The cluster's configuration as the console's forms hold it (strings and switches) and back
// into the spec. Lists are one entry per line: `key=value` for labels and annotations,
// `key=value:Effect` or `key:Effect` for tolerations (`*` for no key: every taint; a trailing
// `:<seconds>` is the NoExecute tolerationSeconds), so every toleration form round-trips.

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
  /** The cluster manager's rebalancing: `default` leaves `clusterManager` unset (the environment's setting). */
  rebalance: Rebalance;
}

export const REBALANCE_CHOICES = ['default', 'on', 'off'] as const;
export type Rebalance = (typeof REBALANCE_CHOICES)[number];

export const EMPTY_CONFIG: ClusterConfigForm = {
  nodeSelector: '',
  tolerations: '',
  serviceType: 'ClusterIP',
  serviceAnnotations: '',
  ingressEnabled: false,
  ingressClass: '',
  ingressHost: '',
  ingressTls: false,
  ingressTlsSecret: '',
  ingressAnnotations: '',
  storageClass: '',
  volumeSnapshotClass: '',
  logLevel: '',
  apiKeySecretName: '',
  apiKeySecretKey: 'api-key',
  readOnlyApiKeySecretName: '',
  readOnlyApiKeySecretKey: 'read-only-api-key',
  rebalance: 'default',
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** `key=value` lines into a map; a line without `=` is kept as a key with an empty value, which the API then names. */
export function parsePairs(text: string): Record<string, string> | undefined {
  const entries = lines(text).map((l) => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq).trim(), l.slice(eq + 1).trim()];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}
export const formatPairs = (map: Record<string, string> | undefined) =>
  Object.entries(map ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');

export function parseTolerations(text: string): Toleration[] | undefined {
  const list = lines(text).map((l): Toleration => {
    const m = /^([^=:]+)(?:=([^:]*))?(?::([A-Za-z]+))?(?::(\d+))?$/.exec(l);
    const [key, value, effect, seconds] = m ? [m[1]!.trim(), m[2], m[3], m[4]] : [l, undefined, undefined, undefined];
    return {
      // `*`: no key, which with Exists tolerates every taint.
      ...(key === '*' ? {} : { key }),
      operator: value !== undefined ? 'Equal' : 'Exists',
      ...(value !== undefined ? { value } : {}),
      ...(effect ? { effect: effect as Toleration['effect'] } : {}),
      ...(seconds !== undefined ? { tolerationSeconds: Number(seconds) } : {}),
    } as Toleration;
  });
  return list.length ? list : undefined;
}
export const formatTolerations = (list: Toleration[] | undefined) =>
  (list ?? [])
    .map(
      (t) =>
        `${t.key || '*'}${t.operator !== 'Exists' && t.value !== undefined ? `=${t.value}` : ''}${t.effect || t.tolerationSeconds !== undefined ? `:${t.effect ?? ''}` : ''}${t.tolerationSeconds !== undefined ? `:${t.tolerationSeconds}` : ''}`,
    )
    .join('\n');

const opt = (v: string) => v.trim() || undefined;
const prune = <T extends Record<string, unknown>>(o: T) => {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? (kept as T) : undefined;
};
type KeyRef = NonNullable<NonNullable<NonNullable<Spec['config']>['service']>['api_key']>;
/** The reference the form names; the other keys of the one it had (e.g. `optional`) are kept. */
const secretRef = (name: string, key: string, fallback: string, was: KeyRef | undefined): KeyRef | undefined =>
  name.trim() ? ({ ...was, secretKeyRef: { ...was?.secretKeyRef, name: name.trim(), key: key.trim() || fallback } } as KeyRef) : undefined;

/**
 * The spec with the form's configuration: every field the form shows is set from it (an empty
 * one removed); the rest of `base` is kept, so an edit changes only what the form covers.
 */
export function applyConfig(base: Partial<Spec>, form: ClusterConfigForm): Partial<Spec> {
  const config = base.config ?? {};
  // A field the user left as configOf showed it is written back exactly as it was: the text
  // forms do not carry every detail (order, spacing, keys the form does not show).
  const was = configOf(base);
  const same = (...keys: Array<keyof ClusterConfigForm>) => keys.every((k) => form[k] === was[k]);
  const apiKey = same('apiKeySecretName', 'apiKeySecretKey')
    ? config.service?.api_key
    : secretRef(form.apiKeySecretName, form.apiKeySecretKey, 'api-key', config.service?.api_key);
  const readOnly = same('readOnlyApiKeySecretName', 'readOnlyApiKeySecretKey')
    ? config.service?.read_only_api_key
    : secretRef(form.readOnlyApiKeySecretName, form.readOnlyApiKeySecretKey, 'read-only-api-key', config.service?.read_only_api_key);
  const service = prune({ ...config.service, api_key: apiKey, read_only_api_key: readOnly });
  return prune({
    ...base,
    nodeSelector: same('nodeSelector') ? base.nodeSelector : parsePairs(form.nodeSelector),
    tolerations: same('tolerations') ? base.tolerations : parseTolerations(form.tolerations),
    service: {
      ...base.service,
      type: form.serviceType as 'ClusterIP',
      annotations: same('serviceAnnotations') ? base.service?.annotations : parsePairs(form.serviceAnnotations),
    },
    ingress:
      form.ingressEnabled || base.ingress
        ? prune({
            ...base.ingress,
            enabled: form.ingressEnabled,
            ingressClassName: opt(form.ingressClass),
            host: opt(form.ingressHost),
            tls: form.ingressTls || undefined,
            tlsSecretName: opt(form.ingressTlsSecret),
            annotations: same('ingressAnnotations') ? base.ingress?.annotations : parsePairs(form.ingressAnnotations),
          })
        : undefined,
    storageClassNames: prune({ ...base.storageClassNames, db: opt(form.storageClass) }),
    storage: prune({ ...base.storage, volumeSnapshotClassName: opt(form.volumeSnapshotClass) }),
    config: prune({ ...config, log_level: opt(form.logLevel), service }),
    // `default`: unset, the environment's setting applies; on/off are explicit.
    clusterManager: form.rebalance === 'default' ? undefined : form.rebalance === 'on',
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
    rebalance: spec.clusterManager === undefined ? 'default' : spec.clusterManager ? 'on' : 'off',
  };
}
