import { createParser } from './parse/create-parser.ts';
import {
  qdrantCloudRegionKind,
  qdrantClusterKind,
  qdrantClusterRestoreKind,
  qdrantClusterScheduledSnapshotKind,
  qdrantClusterSnapshotKind,
  qdrantEntityKind,
  qdrantReleaseKind,
} from './crds/index.ts';

// One parser per qdrant.io/v1 kind: YAML or JSON text (or an object) in, the typed resource
// out, with the code-side rules of Qdrant's operator checked too; QhcSchemaError otherwise.

const qdrantCluster = createParser(qdrantClusterKind.schema, 'QdrantCluster');
export const parseQdrantCluster = qdrantCluster.parse;
export const safeParseQdrantCluster = qdrantCluster.safeParse;
export const validateQdrantCluster = qdrantCluster.validate;
export const safeValidateQdrantCluster = qdrantCluster.safeValidate;

const snapshot = createParser(qdrantClusterSnapshotKind.schema, 'QdrantClusterSnapshot');
export const parseQdrantClusterSnapshot = snapshot.parse;
export const validateQdrantClusterSnapshot = snapshot.validate;
export const safeValidateQdrantClusterSnapshot = snapshot.safeValidate;

const scheduledSnapshot = createParser(qdrantClusterScheduledSnapshotKind.schema, 'QdrantClusterScheduledSnapshot');
export const parseQdrantClusterScheduledSnapshot = scheduledSnapshot.parse;
export const validateQdrantClusterScheduledSnapshot = scheduledSnapshot.validate;
export const safeValidateQdrantClusterScheduledSnapshot = scheduledSnapshot.safeValidate;

const restore = createParser(qdrantClusterRestoreKind.schema, 'QdrantClusterRestore');
export const parseQdrantClusterRestore = restore.parse;
export const validateQdrantClusterRestore = restore.validate;
export const safeValidateQdrantClusterRestore = restore.safeValidate;

const entity = createParser(qdrantEntityKind.schema, 'QdrantEntity');
export const parseQdrantEntity = entity.parse;
export const validateQdrantEntity = entity.validate;

const release = createParser(qdrantReleaseKind.schema, 'QdrantRelease');
export const parseQdrantRelease = release.parse;
export const validateQdrantRelease = release.validate;

const cloudRegion = createParser(qdrantCloudRegionKind.schema, 'QdrantCloudRegion');
export const parseQdrantCloudRegion = cloudRegion.parse;
export const validateQdrantCloudRegion = cloudRegion.validate;

/** Every qdrant.io/v1 kind's parser, by kind: for tools that read documents of any kind (qhc validate). */
export const RESOURCE_PARSERS: ReadonlyMap<string, Pick<ReturnType<typeof createParser>, 'parse' | 'safeParse' | 'validate' | 'safeValidate'>> = new Map<
  string,
  Pick<ReturnType<typeof createParser>, 'parse' | 'safeParse' | 'validate' | 'safeValidate'>
>([
  ['QdrantCluster', qdrantCluster],
  ['QdrantClusterSnapshot', snapshot],
  ['QdrantClusterScheduledSnapshot', scheduledSnapshot],
  ['QdrantClusterRestore', restore],
  ['QdrantEntity', entity],
  ['QdrantRelease', release],
  ['QdrantCloudRegion', cloudRegion],
]);
