import type * as z from 'zod';

/** The API group every qhc custom resource belongs to (drop-in compatible with Qdrant's operator). */
export const QDRANT_GROUP = 'qdrant.io';
export const QDRANT_VERSION = 'v1';
export const QDRANT_API_VERSION = `${QDRANT_GROUP}/${QDRANT_VERSION}` as const;

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/**
 * A custom resource kind as data: its identity, how the CRD presents it, and its zod schemas.
 * The CRD generator and the operator read these instead of repeating names as strings.
 */
export interface KindDefinition<
  TObject extends z.ZodType = z.ZodType,
  TSpec extends z.ZodType = z.ZodType,
  TStatus extends z.ZodType | undefined = z.ZodType | undefined,
> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  shortNames: readonly string[];
  categories: readonly string[];
  scope: 'Namespaced' | 'Cluster';
  printerColumns: readonly PrinterColumn[];
  /** Subresources as the CRD declares them. */
  subresources: { status: boolean; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  /** `x-kubernetes-preserve-unknown-fields` on spec and status, as the upstream CRD has it. */
  preserveUnknownFields: { spec: boolean; status: boolean };
  /** Fields the apiserver may select on (`selectableFields`). */
  selectableFields?: readonly string[];
  description: string;
  /** The whole object (apiVersion, kind, metadata, spec, status) with the code-side rules. */
  schema: TObject;
  spec: TSpec;
  status: TStatus;
}
