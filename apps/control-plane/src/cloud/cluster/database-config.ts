import { clusterV1, type commonV1 } from '@qhc/cloud-api';
import { enumMap } from './enums.ts';

// database_configuration → the QdrantCluster's spec.config (Qdrant's own configuration, which
// the operator renders). Pure: the zod parse of the whole spec (spec-of.ts) checks the values.

/** A field the request cannot have, by its proto path. */
export interface FieldProblem {
  field: string;
  message: string;
}

const LOG_LEVELS = enumMap(clusterV1.DatabaseConfigurationLogLevelSchema, {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  ERROR: 'ERROR',
  OFF: 'OFF',
});

const ROTATIONS = enumMap(clusterV1.AuditLogRotationSchema, { DAILY: 'daily', HOURLY: 'hourly' });

/** Drops the keys whose value is undefined: the spec's optional fields are absent, not undefined. */
export function defined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** An object, or undefined when it has no field (so an empty message adds nothing to the spec). */
export function nonEmpty<T extends Record<string, unknown>>(value: T): Partial<T> | undefined {
  const kept = defined(value);
  return Object.keys(kept).length > 0 ? kept : undefined;
}

export const secretRef = (ref: commonV1.SecretKeyRef | undefined) => (ref ? { secretKeyRef: { name: ref.name, key: ref.key } } : undefined);

/** An enum field: its mapped value, undefined when unset or UNSPECIFIED, a problem when not a value of the enum. */
export function enumValue(value: number | undefined, values: Record<number, string>, field: string, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === 0) return undefined;
  const mapped = values[value];
  if (mapped === undefined) problems.push({ field, message: `${value} is not a value of the enum` });
  return mapped;
}

function collection(c: clusterV1.DatabaseConfigurationCollection | undefined) {
  if (!c) return undefined;
  return nonEmpty({
    replication_factor: c.replicationFactor,
    write_consistency_factor: c.writeConsistencyFactor,
    vectors: c.vectors ? nonEmpty({ on_disk: c.vectors.onDisk }) : undefined,
  });
}

function audit(a: clusterV1.DatabaseConfigurationAuditLogging | undefined, field: string, problems: FieldProblem[]) {
  if (!a) return undefined;
  return defined({
    enabled: a.enabled,
    rotation: enumValue(a.rotation, ROTATIONS, `${field}.rotation`, problems),
    max_log_files: a.maxLogFiles,
    trust_forwarded_headers: a.trustForwardedHeaders,
  });
}

/**
 * spec.config for `db` (at proto path `field`). `jwtRbac`: JWT RBAC asked for (the `qc-jwt-rbac`
 * header or EnableClusterJwtRbac), which is server state, not part of the message.
 */
export function qdrantConfigOf(
  db: clusterV1.DatabaseConfiguration | undefined,
  jwtRbac: boolean,
  field: string,
  problems: FieldProblem[],
): Record<string, unknown> | undefined {
  const service = db?.service;
  const performance = db?.storage?.performance;
  return nonEmpty({
    log_level: enumValue(db?.logLevel, LOG_LEVELS, `${field}.log_level`, problems),
    collection: collection(db?.collection),
    storage: performance
      ? { performance: defined({ optimizer_cpu_budget: performance.optimizerCpuBudget, async_scorer: performance.asyncScorer }) }
      : undefined,
    service: nonEmpty({
      api_key: secretRef(service?.apiKey),
      read_only_api_key: secretRef(service?.readOnlyApiKey),
      enable_tls: service?.enableTls,
      jwt_rbac: jwtRbac ? true : undefined,
    }),
    tls: db?.tls ? nonEmpty({ cert: secretRef(db.tls.cert), key: secretRef(db.tls.key) }) : undefined,
    inference: db?.inference ? { enabled: db.inference.enabled } : undefined,
    audit: audit(db?.auditLogging, `${field}.audit_logging`, problems),
  });
}
