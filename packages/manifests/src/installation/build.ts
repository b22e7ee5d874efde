import type { Region } from '@qhc/schemas';
import { ManifestError } from '../errors.ts';
import { normalize, type KubeObject } from '../object.ts';
import { AGENT_CREDENTIALS_SECRET, AGENT_NAME } from './names.ts';
import { buildRegionObjects, installerLabels, type RegistryCredentials } from './region-objects.ts';

export interface InstallationCredentials {
  /** Where the agent reaches the control plane (https). */
  controlPlaneUrl: string;
  /** The one-time bootstrap token the agent exchanges for its long-lived credential. */
  bootstrapToken: string;
  /** Pull credentials for the region's container registry, when it needs them. */
  registry?: RegistryCredentials;
}

/**
 * Everything a region's first installation needs, helm-free, in apply order: the Namespace,
 * then buildRegionObjects (CRDs, identities and least-privilege RBAC, settings, secrets, the
 * operator, the cluster manager and the agent, network policies) with the agent's credentials
 * Secret before the Deployments. What the console's installation command applies; later
 * changes to the same objects arrive through the agent (buildRegionObjects again).
 */
export function buildInstallation(region: Region, credentials: InstallationCredentials): KubeObject[] {
  let controlPlane: URL;
  try {
    controlPlane = new URL(credentials.controlPlaneUrl);
  } catch {
    throw new ManifestError('controlPlaneUrl', `is not a URL: ${JSON.stringify(credentials.controlPlaneUrl)}`);
  }
  if (controlPlane.protocol !== 'https:') throw new ManifestError('controlPlaneUrl', 'must be https: the agent only makes TLS connections');
  if (!credentials.bootstrapToken) throw new ManifestError('bootstrapToken', 'is required');

  const { namespace } = region;
  const owned = buildRegionObjects(region, credentials.registry ? { registry: credentials.registry } : {});
  const firstDeployment = owned.findIndex((o) => o.kind === 'Deployment');
  const agentCredentials: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: AGENT_CREDENTIALS_SECRET, namespace, labels: installerLabels(AGENT_NAME) },
    type: 'Opaque',
    stringData: { 'control-plane-url': controlPlane.toString(), 'bootstrap-token': credentials.bootstrapToken },
  };
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...installerLabels('qhc'), 'pod-security.kubernetes.io/enforce': 'baseline' } },
    },
    ...owned.slice(0, firstDeployment),
    agentCredentials,
    ...owned.slice(firstDeployment),
  ];
  return objects.map((o) => normalize(o));
}
