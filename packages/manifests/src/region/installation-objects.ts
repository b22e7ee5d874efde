import { QDRANT_GROUP, type DesiredCrd, type Region } from '@qhc/schemas';
import type { KubeObject } from '../object.ts';
import { REGISTRY_SECRET } from '../installation/names.ts';
import { buildRegionObjects, type RegistryCredentials } from '../installation/region-objects.ts';

export interface AgentInstallationInput {
  /** The desired state's pull credentials; without them the pull Secret is not the agent's to write. */
  registryCredentials?: RegistryCredentials;
  /** The desired state's CRDs (the control plane's release). */
  crds: readonly DesiredCrd[];
}

export interface AgentInstallationObjects {
  /** What the agent applies, in buildRegionObjects' order. */
  objects: KubeObject[];
  /** The installation's ClusterRoles: the agent compares them with the live ones, never applies them. */
  clusterRoles: KubeObject[];
  /** Entries of `crds` that are not qdrant.io CustomResourceDefinitions: dropped, for the agent to log. */
  droppedCrds: Array<{ kind: string; name: string }>;
}

/** A qdrant.io CustomResourceDefinition: the only kind of `crds` entry the agent applies. */
export function isQdrantCrd(object: Pick<DesiredCrd, 'kind' | 'spec'>): boolean {
  return object.kind === 'CustomResourceDefinition' && (object.spec as { group?: unknown } | undefined)?.group === QDRANT_GROUP;
}

/**
 * The region's installation as the agent applies it: buildRegionObjects with the desired
 * state's qdrant.io CRDs only (a control plane cannot use the agent's rights on CRDs to change
 * what is not qhc's), without cluster-scoped RBAC (the agent could grant itself anything; a
 * re-run of the installation as cluster-admin applies it), and without the pull Secret when
 * there are no stored credentials (regions made before they existed: an empty `auths` would be
 * forced over one the user filled by hand).
 */
export function buildAgentInstallationObjects(region: Region, input: AgentInstallationInput): AgentInstallationObjects {
  const crds = input.crds.filter(isQdrantCrd) as unknown as KubeObject[];
  const built = buildRegionObjects(region, { ...(input.registryCredentials ? { registry: input.registryCredentials } : {}), crds });
  const objects = built.filter(
    (o) =>
      o.kind !== 'ClusterRole' &&
      o.kind !== 'ClusterRoleBinding' &&
      !(o.kind === 'Secret' && o.metadata.name === REGISTRY_SECRET && !input.registryCredentials),
  );
  return {
    objects,
    clusterRoles: built.filter((o) => o.kind === 'ClusterRole'),
    droppedCrds: input.crds.filter((o) => !isQdrantCrd(o)).map((o) => ({ kind: o.kind, name: o.metadata.name })),
  };
}
