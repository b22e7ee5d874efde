import * as z from 'zod';
import { FreeFormObject, Timestamp } from '../k8s/index.ts';
import { ageColumn, resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantEntity: a generic object kept in sync with the control plane; its payload is free
// JSON (upstream converts it to and from a protobuf Struct, so it is always an object).

export const ENTITY_PHASES = ['Creating', 'Ready', 'Updating', 'Failing', 'Deleting', 'Deleted'] as const;
export const EntityPhase = z.enum(ENTITY_PHASES);
export type EntityPhase = z.infer<typeof EntityPhase>;

export const EntityResult = z.enum(['Ok', 'Pending', 'Error']);
export type EntityResult = z.infer<typeof EntityResult>;

// Every spec field is optional upstream (no `required` in its CRD); kept so.
export const QdrantEntitySpec = z.strictObject({
  /** A UUID. */
  id: z.string().optional(),
  entityType: z.string().optional(),
  clusterId: z.string().optional(),
  createdAt: Timestamp.optional(),
  lastUpdatedAt: Timestamp.optional(),
  /** Set when the entity is deleted or being deleted. */
  deletedAt: Timestamp.optional(),
  /** Free-form JSON object. */
  payload: FreeFormObject.optional(),
});
export type QdrantEntitySpec = z.infer<typeof QdrantEntitySpec>;

export const QdrantEntityStatus = z.strictObject({
  phase: EntityPhase.optional(),
  /** The last result of handing the entity to its manager. */
  result: z
    .strictObject({
      result: EntityResult.optional(),
      reason: z.string().optional(),
      /** Free-form JSON object. */
      payload: FreeFormObject.optional(),
    })
    .optional(),
  observedGeneration: z.int().min(0).optional(),
});
export type QdrantEntityStatus = z.infer<typeof QdrantEntityStatus>;

export const QdrantEntity = z.strictObject({ ...resourceEnvelope('QdrantEntity'), spec: QdrantEntitySpec, status: QdrantEntityStatus.optional() });
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
    ageColumn(),
  ],
  subresources: { status: true },
  preserveUnknownFields: { spec: false, status: true },
  selectableFields: ['.spec.entityType'],
  description: 'QdrantEntity is a generic entity synchronised with the control plane.',
  schema: QdrantEntity,
  spec: QdrantEntitySpec,
  status: QdrantEntityStatus,
} as const satisfies KindDefinition;
