import * as z from 'zod';
import { AGE_COLUMN, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantEntity: a generic object kept in sync with the control plane (its payload is free
// JSON), and QdrantRelease: a Qdrant version offered to clusters (a management kind).

export const QdrantEntitySpec = z.strictObject({
  id: z.string().min(1),
  entityType: z.string().min(1),
  clusterId: z.string().optional(),
  createdAt: z.string().optional(),
  lastUpdatedAt: z.string().optional(),
  deletedAt: z.string().optional(),
  payload: z.looseObject({}).optional(),
});

export const QdrantEntityStatus = z.strictObject({
  phase: z.enum(['Creating', 'Ready', 'Updating', 'Failing', 'Deleting', 'Deleted']).optional(),
  result: z
    .strictObject({
      result: z.enum(['Ok', 'Pending', 'Error']).optional(),
      reason: z.string().optional(),
      payload: z.looseObject({}).optional(),
    })
    .optional(),
  observedGeneration: z.int().min(0).optional(),
});

export const QdrantEntity = z.strictObject({
  ...resourceEnvelope('QdrantEntity'),
  spec: QdrantEntitySpec,
  status: QdrantEntityStatus.optional(),
});
export type QdrantEntity = z.infer<typeof QdrantEntity>;

export const qdrantEntityKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantEntity',
  plural: 'qdrantentities',
  singular: 'qdrantentity',
  listKind: 'QdrantEntityList',
  shortNames: ['qe'],
  categories: ['qdrant'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'EntityType', type: 'string', jsonPath: '.spec.entityType' },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    AGE_COLUMN,
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: false },
  selectableFields: ['.spec.entityType'],
  description: 'QdrantEntity is a generic entity synchronised with the control plane.',
  schema: QdrantEntity,
  spec: QdrantEntitySpec,
  status: QdrantEntityStatus,
} as const satisfies KindDefinition;

export const QdrantReleaseSpec = z.strictObject({
  version: z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be a version such as "v1.12.4"'),
  default: z.boolean().default(false),
  image: z.string().optional(),
  unavailable: z.boolean().default(false),
  endOfLife: z.boolean().default(false),
  accountIds: z.array(z.string()).optional(),
  accountPrivileges: z.array(z.string()).optional(),
  remarks: z.string().optional(),
  releaseNotesURL: z.url().optional(),
});

export const QdrantRelease = z.strictObject({
  ...resourceEnvelope('QdrantRelease'),
  spec: QdrantReleaseSpec,
});
export type QdrantRelease = z.infer<typeof QdrantRelease>;

export const qdrantReleaseKind = {
  group: QDRANT_GROUP,
  version: QDRANT_VERSION,
  kind: 'QdrantRelease',
  plural: 'qdrantreleases',
  singular: 'qdrantrelease',
  listKind: 'QdrantReleaseList',
  shortNames: ['qr', 'qrs'],
  categories: ['qdrant'],
  scope: 'Namespaced',
  printerColumns: [
    { name: 'Version', type: 'string', jsonPath: '.spec.version' },
    { name: 'Default', type: 'boolean', jsonPath: '.spec.default' },
    { name: 'Unavailable', type: 'boolean', jsonPath: '.spec.unavailable' },
    { name: 'EndOfLife', type: 'boolean', jsonPath: '.spec.endOfLife' },
  ],
  subresources: { status: false },
  preserveUnknownFields: { spec: false, status: false },
  description: 'QdrantRelease is a Qdrant version that clusters may run.',
  schema: QdrantRelease,
  spec: QdrantReleaseSpec,
  status: undefined,
} as const satisfies KindDefinition;
