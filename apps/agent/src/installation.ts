import {
  AGENT_NAME,
  OPERATOR_SETTINGS_CONFIGMAP,
  INSTALLATION_HASH_ANNOTATION,
  INSTALLER_FIELD_MANAGER,
  buildAgentInstallationObjects,
  chartReference,
  imageTagOf,
  installationHash,
} from '@qhc/manifests';
import { Region, type DesiredState } from '@qhc/schemas';
import { applyIfChanged, type KubeClient, type KubeObject, type Logger } from '@qhc/kube';

/** What the agent reports about the installation it runs in (the region status' `installation`): @qhc/schemas' contract. */
export type { InstallationStatus } from '@qhc/schemas';
import type { InstallationStatus } from '@qhc/schemas';

type Crd = KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } };

/** The hash of what the installer's field manager last applied, on each installation object. */
export const INSTALLER_APPLIED_HASH_ANNOTATION = 'qhc.dev/installer-applied-hash';

/** The installer's own field manager, forced (what the installation script applies with). */
const INSTALLER_APPLY = { fieldManager: INSTALLER_FIELD_MANAGER, force: true, hashAnnotation: INSTALLER_APPLIED_HASH_ANNOTATION };

/** What the installation came to: its status, what was written, and what already was as desired. */
export interface InstallationResult {
  status: InstallationStatus;
  applied: string[];
  unchanged: string[];
}

export interface InstallationOptions {
  /** How long to wait for the apiserver to serve applied CRDs; default 60 s. */
  establishedTimeoutMs?: number;
}

/**
 * Makes the installation match the desired state: every object of buildAgentInstallationObjects with
 * server-side apply under the installer's field manager (what the installation script uses,
 * with force), so a field the region no longer has, such as a removed proxy, is removed. Order:
 * the CRDs the desired state carries (the control plane's release; none when it sends none),
 * waited for until Established; RBAC, settings, CA and pull Secret, Services and policies; the
 * operator's and the cluster manager's Deployments; the agent's own last (it may restart the
 * agent). A Helm installation is left to Helm (but for the CRDs, which Helm never upgrades) and
 * reported, with the command, when out of date;
 * an agent outside any installation (no qhc-agent Deployment) changes nothing.
 */
export async function applyInstallation(
  client: KubeClient,
  namespace: string,
  state: DesiredState,
  logger: Logger,
  options: InstallationOptions = {},
): Promise<InstallationResult> {
  // Parsed again: a control plane older than this agent may send a region without newer defaults.
  // A newer one may send fields this agent does not know: the installation is then skipped (and
  // reported), never the clusters (applyDesiredState applies them whatever happens here).
  const parsed = Region.safeParse(state.region);
  if (!parsed.success) {
    logger.warn('installation not applied: the region does not parse (a control plane newer than this agent?)', { error: parsed.error.message });
    return {
      status: {
        managedBy: 'none',
        upToDate: false,
        desiredHash: '',
        message: `installation not applied: this agent cannot read the region the control plane sent (${parsed.error.message.slice(0, 500)}); re-run the installation command to upgrade the agent`,
      },
      applied: [],
      unchanged: [],
    };
  }
  const region = parsed.data;
  const desiredHash = installationHash(region, state.registryCredentials);
  const own = await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: AGENT_NAME });
  if (!own)
    return {
      status: {
        managedBy: 'none',
        upToDate: false,
        desiredHash,
        message: 'no qhc-agent Deployment in the namespace: the agent runs outside an installation and leaves it alone',
      },
      applied: [],
      unchanged: [],
    };
  const settings = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace, name: OPERATOR_SETTINGS_CONFIGMAP });
  if (region.namespace !== namespace)
    throw new Error(`the desired state's region lives in namespace ${region.namespace}, this agent in ${namespace}: installation not applied`);
  const hashes = { installedHash: settings?.metadata.annotations?.[INSTALLATION_HASH_ANNOTATION], desiredHash };
  const helm = own.metadata.labels?.['app.kubernetes.io/managed-by'] === 'Helm';
  return applyObjects({ client, namespace, state, region, logger, options, helm, hashes });
}

interface ApplyContext {
  client: KubeClient;
  namespace: string;
  state: DesiredState;
  region: Region;
  logger: Logger;
  options: InstallationOptions;
  /** Installed by Helm: only the CRDs are the agent's. */
  helm: boolean;
  hashes: { installedHash: string | undefined; desiredHash: string };
}

/** The CRDs, waited for until served; then (unless Helm owns the installation) everything else. */
async function applyObjects(context: ApplyContext): Promise<InstallationResult> {
  const { client, namespace, state, region, logger, options, hashes } = context;
  const built = buildAgentInstallationObjects(region, {
    ...(state.registryCredentials ? { registryCredentials: state.registryCredentials } : {}),
    crds: state.crds,
  });
  for (const dropped of built.droppedCrds) logger.warn('desired state crds entry dropped: only qdrant.io CustomResourceDefinitions are applied', dropped);
  const applied: string[] = [];
  const unchanged: string[] = [];
  // An object already as desired (its stamped hash and every field) is not written: an answer
  // that changes nothing of the installation writes nothing of it.
  const apply = async (object: KubeObject) => {
    const named = `${object.kind}/${object.metadata.name}`;
    try {
      const written = await applyIfChanged(client, object, await readLive(client, object), INSTALLER_APPLY);
      (written ? applied : unchanged).push(named);
    } catch (error) {
      // Named, so the region's status says which object the agent could not apply.
      throw new Error(`${named}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  const crds = built.objects.filter((o) => o.kind === 'CustomResourceDefinition');
  for (const crd of crds) await apply(crd);
  for (const crd of crds) await waitEstablished(client, crd.metadata.name, options.establishedTimeoutMs ?? 60_000);
  // Helm installs a chart's crds/ once and never upgrades them, nor counts them as the release's:
  // the CRDs are the agent's to upgrade there too; every other object is Helm's.
  if (context.helm) return { status: helmStatus(region, hashes.installedHash, hashes.desiredHash), applied, unchanged };
  for (const object of built.objects) if (object.kind !== 'CustomResourceDefinition') await apply(object);
  logger.info('installation applied', { namespace, name: region.name, written: applied.length, unchanged: unchanged.length, crds: crds.length });
  const installed = hashes.installedHash ? { installedHash: hashes.installedHash } : {};
  const stale = await staleClusterRoles(client, built.clusterRoles);
  if (stale.length > 0) {
    return {
      status: {
        managedBy: 'agent',
        upToDate: false,
        ...installed,
        desiredHash: hashes.desiredHash,
        message: `cluster-wide RBAC out of date (${stale.join(', ')}): the agent does not change it; re-run the installation command as cluster-admin`,
      },
      applied,
      unchanged,
    };
  }
  return { status: { managedBy: 'agent', upToDate: true, ...installed, desiredHash: hashes.desiredHash }, applied, unchanged };
}

/** The live object, or undefined when it is missing or the agent may not read it (it is then applied, as it always was). */
function readLive(client: KubeClient, object: KubeObject): Promise<KubeObject | undefined> {
  const { apiVersion, kind, metadata } = object;
  return client.get({ apiVersion, kind, name: metadata.name!, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) }).catch(() => undefined);
}

/** The installation's ClusterRoles whose live rules differ from the region's (the agent may read, not change, them). */
async function staleClusterRoles(client: KubeClient, clusterRoles: readonly { kind: string; metadata: { name: string } }[]): Promise<string[]> {
  type Rules = Array<Record<string, unknown>>;
  // Key order differs between what is built and what the apiserver returns.
  const canonical = (rules: Rules | undefined) =>
    JSON.stringify(
      (rules ?? []).map((r) =>
        Object.fromEntries(
          Object.entries(r)
            .filter(([, v]) => !(Array.isArray(v) && v.length === 0))
            .toSorted(([a], [b]) => a.localeCompare(b)),
        ),
      ),
    );
  const stale: string[] = [];
  for (const role of clusterRoles) {
    const live = await client
      .get<KubeObject & { rules?: Rules }>({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: role.metadata.name })
      .catch(() => null);
    if (live === null) continue;
    if (!live || canonical(live.rules) !== canonical((role as unknown as { rules?: Rules }).rules)) stale.push(`ClusterRole/${role.metadata.name}`);
  }
  return stale;
}

/** Until the apiserver serves the CRD (condition Established), as `kubectl wait --for=condition=Established` does. */
async function waitEstablished(client: KubeClient, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const crd = await client.get<Crd>({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
    if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} is not Established after ${timeoutMs} ms: nothing else of the installation was applied`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Helm owns its release's objects: the agent only says whether they are current, and how to make them so. */
function helmStatus(region: Region, installedHash: string | undefined, desiredHash: string): InstallationStatus {
  const upToDate = installedHash === desiredHash;
  const command = `helm upgrade qhc ${chartReference(region)} --version ${imageTagOf(region.operatorVersion)} --namespace ${region.namespace} -f values.yaml`;
  return {
    managedBy: 'Helm',
    upToDate,
    ...(installedHash ? { installedHash } : {}),
    desiredHash,
    ...(upToDate
      ? {}
      : {
          message: `installed by Helm, out of date: run \`${command}\` with the region's current values — the console's Helm installation command (qhc.v1 EnvironmentAgentService CreateInstallation of environment ${region.name}, helmCommand) writes them and runs \`helm upgrade --install\``,
        }),
  };
}
