import type { DescEnum } from '@bufbuild/protobuf';
import type { GenEnum } from '@bufbuild/protobuf/codegenv2';
import { clusterV1, hybridV1 } from '@qhc/cloud-api';

// The enum values this service uses, read from the enums' descriptors: @qhc/cloud-api's bundled
// type declarations export the generated enum objects as types only (their values are there at
// run time), so the descriptors are the typed way to name them.

function values<T extends number>(schema: GenEnum<T> | DescEnum, names: readonly string[]): Record<string, T> {
  return Object.fromEntries(
    names.map((name) => {
      const value = schema.values.find((v) => v.localName === name);
      if (!value) throw new Error(`${schema.typeName} has no value ${name}`);
      return [name, value.number as T];
    }),
  );
}

export const TolerationOperator = values<clusterV1.TolerationOperator>(clusterV1.TolerationOperatorSchema, ['UNSPECIFIED', 'EXISTS', 'EQUAL']);
export const TolerationEffect = values<clusterV1.TolerationEffect>(clusterV1.TolerationEffectSchema, [
  'UNSPECIFIED',
  'NO_SCHEDULE',
  'PREFER_NO_SCHEDULE',
  'NO_EXECUTE',
]);
export const LogLevel = values<hybridV1.HybridCloudEnvironmentConfigurationLogLevel>(hybridV1.HybridCloudEnvironmentConfigurationLogLevelSchema, [
  'UNSPECIFIED',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
]);
export const Phase = values<hybridV1.HybridCloudEnvironmentStatusPhase>(hybridV1.HybridCloudEnvironmentStatusPhaseSchema, [
  'UNSPECIFIED',
  'READY',
  'NOT_READY',
  'FAILED_TO_SYNC',
]);
export const Creation = values<hybridV1.QdrantClusterCreationStatus>(hybridV1.QdrantClusterCreationStatusSchema, ['UNSPECIFIED', 'READY', 'NOT_READY']);
export const ComponentPhase = values<hybridV1.HybridCloudEnvironmentComponentStatusPhase>(hybridV1.HybridCloudEnvironmentComponentStatusPhaseSchema, [
  'UNSPECIFIED',
  'READY',
  'NOT_READY',
  'NOT_FOUND',
]);
export const Distribution = values<hybridV1.KubernetesDistribution>(hybridV1.KubernetesDistributionSchema, [
  'AWS',
  'GCP',
  'AZURE',
  'DO',
  'SCALEWAY',
  'OPENSHIFT',
  'LINODE',
  'CIVO',
  'OCI',
  'OVHCLOUD',
  'STACKIT',
  'VULTR',
  'K3S',
]);
