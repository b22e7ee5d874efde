import { create, fromBinary, toBinary, type JsonObject } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';
import type { Region } from '@qhc/schemas';
import type { EnvironmentRecord } from '../../repositories/environments.ts';
import { LogLevel, TolerationEffect, TolerationOperator } from './enums.ts';
import { environmentStatusOf } from './status.ts';

// Stored rows → HybridCloudEnvironment messages: the configuration as its client sent it,
// and what the server owns (ids, times, status) filled in.

type Configuration = hybridV1.HybridCloudEnvironmentConfiguration;
const ConfigurationSchema = hybridV1.HybridCloudEnvironmentConfigurationSchema;

/** How the configuration is stored: its binary encoding, base64 (exactly what was sent, unknown fields included). */
export const encodeConfiguration = (c: Configuration): string => Buffer.from(toBinary(ConfigurationSchema, c)).toString('base64');
export const decodeConfiguration = (text: string): Configuration => fromBinary(ConfigurationSchema, Buffer.from(text, 'base64'));

const LEVELS = { DEBUG: LogLevel.DEBUG!, INFO: LogLevel.INFO!, WARN: LogLevel.WARN!, ERROR: LogLevel.ERROR! };
const OPERATORS: Record<string, clusterV1.TolerationOperator> = { Exists: TolerationOperator.EXISTS!, Equal: TolerationOperator.EQUAL! };
const EFFECTS: Record<string, clusterV1.TolerationEffect> = {
  NoSchedule: TolerationEffect.NO_SCHEDULE!,
  PreferNoSchedule: TolerationEffect.PREFER_NO_SCHEDULE!,
  NoExecute: TolerationEffect.NO_EXECUTE!,
};

type Toleration = Region['advanced']['tolerations'][number];
const tolerationOf = (t: Toleration) =>
  create(clusterV1.TolerationSchema, {
    ...(t.key !== undefined ? { key: t.key } : {}),
    ...(t.operator ? { operator: OPERATORS[t.operator]! } : {}),
    ...(t.value !== undefined ? { value: t.value } : {}),
    ...(t.effect ? { effect: EFFECTS[t.effect]! } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: BigInt(t.tolerationSeconds) } : {}),
  });

/**
 * The configuration of a region /api/v1 made (none was sent): what its spec says, the operator
 * settings whole in advanced_operator_settings, so an update with a mask keeps what it leaves out.
 * Read as stored: a spec an earlier release wrote may lack parts.
 */
export function configurationOfSpec(spec: Partial<Region>): Configuration {
  const advanced: Partial<Region['advanced']> = spec.advanced ?? {};
  const level = advanced.logLevel && advanced.logLevel.operator === advanced.logLevel.agent ? LEVELS[advanced.logLevel.operator] : undefined;
  return create(ConfigurationSchema, {
    namespace: spec.namespace ?? '',
    ...(advanced.proxy?.httpProxy ? { httpProxyUrl: advanced.proxy.httpProxy } : {}),
    ...(advanced.proxy?.httpsProxy ? { httpsProxyUrl: advanced.proxy.httpsProxy } : {}),
    noProxyConfigs: advanced.proxy?.noProxy ?? [],
    ...(advanced.containerRegistryUrl ? { containerRegistryUrl: advanced.containerRegistryUrl } : {}),
    ...(advanced.chartRepositoryUrl ? { chartRepositoryUrl: advanced.chartRepositoryUrl } : {}),
    ...(advanced.caCertificate ? { caCertificates: advanced.caCertificate } : {}),
    ...(level ? { logLevel: level } : {}),
    nodeSelector: Object.entries(advanced.nodeSelector ?? {}).map(([key, value]) => ({ key, value })),
    tolerations: (advanced.tolerations ?? []).map(tolerationOf),
    ...(spec.operatorSettings ? { advancedOperatorSettings: spec.operatorSettings as unknown as JsonObject } : {}),
  });
}

/** The region's configuration as the API answers it: as sent (or as its spec says), stamped with its last change. */
export function configurationOf(record: EnvironmentRecord): Configuration {
  const configuration = record.configuration ? decodeConfiguration(record.configuration) : configurationOfSpec(record.region.spec);
  configuration.lastModifiedAt = timestampFromDate(new Date(record.region.updatedAt));
  return configuration;
}

export function environmentOf(record: EnvironmentRecord, now: number): hybridV1.HybridCloudEnvironment {
  const { region } = record;
  return create(hybridV1.HybridCloudEnvironmentSchema, {
    accountId: record.accountId,
    id: region.id,
    createdAt: timestampFromDate(new Date(region.createdAt)),
    lastModifiedAt: timestampFromDate(new Date(region.updatedAt)),
    name: region.name,
    bootstrapCommandsGenerated: record.bootstrapCommandsGenerated,
    configuration: configurationOf(record),
    status: environmentStatusOf({ status: region.status, lastSeenAt: region.lastSeenAt, namespace: region.spec.namespace }, now),
  });
}
