import * as z from 'zod';
import { resourceEnvelope } from './common.ts';
import { QDRANT_GROUP, QDRANT_VERSION, type KindDefinition } from './kind.ts';

// QdrantRelease: a Qdrant version offered to clusters. A management kind (upstream's
// chart leaves its CRD out unless asked); it has no status.

// Every field is optional upstream (no `required` in its CRD); kept so.
export const QdrantReleaseSpec = z.strictObject({
  /** Semver with a leading "v", e.g. "v1.12.4". */
  version: z
    .string()
    .regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'must be a version such as "v1.12.4"')
    .optional(),
  /** The default for new clusters; one release at most should set it. */
  default: z.boolean().default(false),
  /** The full image; unset: qdrant/qdrant:<version>. */
  image: z.string().optional(),
  /** Not offered for new clusters. */
  unavailable: z.boolean().default(false),
  /** No longer supported. */
  endOfLife: z.boolean().default(false),
  /** Only these accounts may use it. */
  accountIds: z.array(z.string()).optional(),
  /** Only accounts with these privileges may use it. */
  accountPrivileges: z.array(z.string()).optional(),
  remarks: z.string().optional(),
  releaseNotesURL: z.url({ message: 'must be a URL such as "https://github.com/qdrant/qdrant/releases/tag/v1.12.4"' }).optional(),
});
export type QdrantReleaseSpec = z.infer<typeof QdrantReleaseSpec>;

export const QdrantRelease = z.strictObject({ ...resourceEnvelope('QdrantRelease'), spec: QdrantReleaseSpec });
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
