// The cluster's configuration as flags, the same on `qhc cluster create` and `qhc cluster
// update`: placement, exposure, storage classes, log level, API keys from Secrets, rebalancing.
// Small and dependency-free: main.ts declares the options at start-up.
import type { Command } from 'commander';
import { CliError, EXIT } from '../exit.ts';
import { collect } from '../program/options.ts';

export interface ConfigOptions {
  nodeSelector?: string[];
  toleration?: string[];
  serviceType?: string;
  serviceAnnotation?: string[];
  ingress?: boolean;
  ingressClass?: string;
  ingressHost?: string;
  ingressTls?: boolean;
  ingressTlsSecret?: string;
  ingressAnnotation?: string[];
  storageClass?: string;
  volumeSnapshotClass?: string;
  logLevel?: string;
  apiKeySecret?: string;
  readOnlyApiKeySecret?: string;
  /** true or `on`, false (`--no-rebalance`) or `off`, `default`: unset, the region's setting. */
  rebalance?: boolean | string;
}

/** Declares the configuration flags on a command. */
export function configFlags(cmd: Command): Command {
  return ingressFlags(
    cmd
      .option('--node-selector <key=value>', 'schedule the nodes only where this node label is set (repeat; key- removes)', collect)
      .option('--toleration <key[=value]:Effect>', 'tolerate a node taint, e.g. dedicated=qdrant:NoSchedule (repeat; key- removes)', collect)
      .option('--service-type <type>', 'ClusterIP, NodePort or LoadBalancer')
      .option('--service-annotation <key=value>', "an annotation of the cluster's Service (repeat; key- removes)", collect),
  )
    .option('--storage-class <name>', 'the StorageClass of the database volumes (create only: volumes keep their class)')
    .option('--volume-snapshot-class <name>', "the VolumeSnapshotClass of the cluster's backups")
    .option('--log-level <level>', 'Qdrant\'s log level, e.g. INFO, DEBUG or "debug,actix=warn"')
    .option('--api-key-secret <secret:key>', 'the API key, from this Secret and key in the namespace')
    .option('--read-only-api-key-secret <secret:key>', 'the read-only API key, from this Secret and key')
    .option('--rebalance [on|off|default]', "the cluster manager's shard rebalancing: on (no value), off, or default (unset: the region's setting)")
    .option('--no-rebalance', "turn the cluster manager's shard rebalancing off");
}

/** Declares the ingress flags (also on `qhc cluster expose`). */
export function ingressFlags(cmd: Command): Command {
  return cmd
    .option('--ingress', 'create an ingress for the cluster')
    .option('--no-ingress', 'no ingress')
    .option('--ingress-class <name>', 'the IngressClass')
    .option('--ingress-host <host>', 'the ingress host, e.g. qdrant.example.com')
    .option('--ingress-tls', 'serve the ingress over TLS')
    .option('--no-ingress-tls', 'serve the ingress without TLS')
    .option('--ingress-tls-secret <name>', 'the Secret holding the ingress certificate')
    .option('--ingress-annotation <key=value>', 'an annotation of the ingress (repeat; key- removes)', collect);
}

type Map = Record<string, string>;

/** `key=value` sets, `key-` removes; the flag's name is in every error. */
function editMap(current: Map | undefined, edits: string[] | undefined, flag: string): Map | undefined {
  if (!edits) return current;
  const next: Map = { ...current };
  for (const edit of edits) {
    if (edit.endsWith('-') && !edit.includes('=')) {
      delete next[edit.slice(0, -1)];
      continue;
    }
    const eq = edit.indexOf('=');
    if (eq <= 0) throw new CliError(`${flag} ${JSON.stringify(edit)}: expected key=value (or key- to remove)`, { code: EXIT.usage });
    next[edit.slice(0, eq)] = edit.slice(eq + 1);
  }
  return Object.keys(next).length ? next : undefined;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
type Toleration = { key?: string; operator?: string; value?: string; effect?: string };

/** `key=value:Effect` (Equal), `key:Effect` (Exists), `key-` removes that key's tolerations. */
function editTolerations(current: Toleration[] | undefined, edits: string[] | undefined): Toleration[] | undefined {
  if (!edits) return current;
  let next = [...(current ?? [])];
  for (const edit of edits) {
    if (edit.endsWith('-') && !/[=:]/.test(edit)) {
      next = next.filter((t) => t.key !== edit.slice(0, -1));
      continue;
    }
    const m = /^([^=:]+)(?:=([^:]*))?(?::(\w+))?$/.exec(edit);
    if (!m || (m[3] && !EFFECTS.includes(m[3])))
      throw new CliError(`--toleration ${JSON.stringify(edit)}: expected key[=value][:Effect] with Effect one of ${EFFECTS.join(', ')} (or key- to remove)`, {
        code: EXIT.usage,
      });
    const t: Toleration = {
      key: m[1],
      operator: m[2] !== undefined ? 'Equal' : 'Exists',
      ...(m[2] !== undefined ? { value: m[2] } : {}),
      ...(m[3] ? { effect: m[3] } : {}),
    };
    next = [...next.filter((x) => !(x.key === t.key && x.effect === t.effect)), t];
  }
  return next.length ? next : undefined;
}

function secretRef(value: string | undefined, flag: string): { secretKeyRef: { name: string; key: string } } | undefined {
  if (value === undefined) return undefined;
  const [name, key, ...rest] = value.split(':');
  if (!name || !key || rest.length)
    throw new CliError(`${flag} ${JSON.stringify(value)}: expected <secret>:<key>, e.g. qdrant-api-key:api-key`, { code: EXIT.usage });
  return { secretKeyRef: { name, key } };
}

/** `--rebalance [on|off|default]`: true, false, or undefined (the key removed: the region's default). */
function rebalance(value: boolean | string): boolean | undefined {
  if (value === true || value === 'on') return true;
  if (value === false || value === 'off') return false;
  if (value === 'default') return undefined;
  throw new CliError(`--rebalance ${JSON.stringify(value)}: expected on, off or default`, { code: EXIT.usage });
}

type Spec = Record<string, unknown>;
const obj = (v: unknown) => (v && typeof v === 'object' ? (v as Spec) : {});
/** Drops undefined values and an object left empty, so the spec carries only what is set. */
const tidy = (o: Spec): Spec | undefined => {
  const kept = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(kept).length ? kept : undefined;
};

/** The spec with the flags given applied; fields no flag names are kept as they are. */
export function applyConfigFlags(spec: Spec, o: ConfigOptions): Spec {
  const next: Spec = { ...spec };
  if (o.nodeSelector) next.nodeSelector = editMap(spec.nodeSelector as Map | undefined, o.nodeSelector, '--node-selector');
  if (o.toleration) next.tolerations = editTolerations(spec.tolerations as Toleration[] | undefined, o.toleration);
  if (o.serviceType !== undefined || o.serviceAnnotation) {
    const service = obj(spec.service);
    next.service = tidy({
      ...service,
      type: o.serviceType ?? service.type,
      annotations: editMap(service.annotations as Map | undefined, o.serviceAnnotation, '--service-annotation'),
    });
  }
  const ingressValues = [o.ingress, o.ingressClass, o.ingressHost, o.ingressTls, o.ingressTlsSecret, o.ingressAnnotation];
  if (ingressValues.some((f) => f !== undefined)) {
    const ingress = obj(spec.ingress);
    next.ingress = tidy({
      ...ingress,
      enabled: o.ingress ?? (ingress.enabled as boolean | undefined) ?? true,
      ingressClassName: o.ingressClass ?? ingress.ingressClassName,
      host: o.ingressHost ?? ingress.host,
      tls: o.ingressTls ?? (o.ingressTlsSecret ? true : ingress.tls),
      tlsSecretName: o.ingressTlsSecret ?? ingress.tlsSecretName,
      annotations: editMap(ingress.annotations as Map | undefined, o.ingressAnnotation, '--ingress-annotation'),
    });
  }
  if (o.storageClass !== undefined) next.storageClassNames = tidy({ ...obj(spec.storageClassNames), db: o.storageClass });
  if (o.volumeSnapshotClass !== undefined) next.storage = tidy({ ...obj(spec.storage), volumeSnapshotClassName: o.volumeSnapshotClass });
  const apiKey = secretRef(o.apiKeySecret, '--api-key-secret');
  const readOnly = secretRef(o.readOnlyApiKeySecret, '--read-only-api-key-secret');
  if (o.logLevel !== undefined || apiKey || readOnly) {
    const config = obj(spec.config);
    const service = tidy({ ...obj(config.service), ...(apiKey ? { api_key: apiKey } : {}), ...(readOnly ? { read_only_api_key: readOnly } : {}) });
    next.config = tidy({ ...config, log_level: o.logLevel ?? config.log_level, service });
  }
  if (o.rebalance !== undefined) next.clusterManager = rebalance(o.rebalance);
  return Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
}

/** "node selector, ingress" — which parts a change touched, for the message after it. */
export function describeConfigFlags(o: ConfigOptions): string {
  const parts: Array<[unknown, string]> = [
    [o.nodeSelector, 'node selector'],
    [o.toleration, 'tolerations'],
    [o.serviceType ?? o.serviceAnnotation, 'service'],
    [o.ingress ?? o.ingressClass ?? o.ingressHost ?? o.ingressTls ?? o.ingressTlsSecret ?? o.ingressAnnotation, 'ingress'],
    [o.storageClass, 'storage class'],
    [o.volumeSnapshotClass, 'volume snapshot class'],
    [o.logLevel, 'log level'],
    [o.apiKeySecret ?? o.readOnlyApiKeySecret, 'API keys'],
    [
      o.rebalance,
      o.rebalance === 'default' ? "rebalancing as the region's default" : o.rebalance === true || o.rebalance === 'on' ? 'rebalancing on' : 'rebalancing off',
    ],
  ];
  const touched = parts.filter(([v]) => v !== undefined).map(([, w]) => w);
  return touched.length ? `configuration changed: ${touched.join(', ')}` : 'nothing to change';
}
