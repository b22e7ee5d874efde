import type { PreflightResult, PreflightStatus, Region } from '@qhc/schemas';

// The seed's prerequisites, checked before a region is installed. One list, rendered two
// ways: as bash in the installation script (preflight-script.ts) and evaluated in
// TypeScript by `qhc region preflight` (evaluatePreflight below). Both print the same words:
// each finding is a template whose {placeholders} are filled from what was found.

/**
 * The oldest Kubernetes minor qhc supports. 1.27 is the first release where two fields qhc's
 * objects rely on are on by default: StatefulSet `persistentVolumeClaimRetentionPolicy`
 * (whether a deleted cluster keeps its volumes) and PodDisruptionBudget
 * `unhealthyPodEvictionPolicy`. An older apiserver drops them without a word, so a cluster
 * would silently lose the retention it was asked for.
 */
export const MIN_KUBERNETES_MINOR = 27;

/** Cluster-scoped objects the installation applies (server-side apply: create, then patch). */
export const INSTALL_CLUSTER_RIGHTS: ReadonlyArray<{ verb: string; resource: string }> = [
  'customresourcedefinitions.apiextensions.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
  'namespaces',
].flatMap((resource) => ['create', 'patch'].map((verb) => ({ verb, resource })));

/** The three kinds of the CSI snapshot API whose CRDs must be served for backups. */
export const SNAPSHOT_API_RESOURCES = ['volumesnapshots', 'volumesnapshotclasses', 'volumesnapshotcontents'] as const;
export const SNAPSHOT_API_GROUP = 'snapshot.storage.k8s.io';

export interface PreflightCheck {
  id: string;
  /** What is checked, in words. */
  what: string;
  /** How it is checked (what the script and the CLI ask the cluster). */
  how: string;
  /** A failure stops the installation; a warning does not. */
  severity: 'fail' | 'warn';
  /** The fix, in plain words: printed with every warning and failure. */
  fix: string;
  /** The possible findings by outcome: a status and a template with {placeholders}. */
  findings: Record<string, { status: PreflightStatus; text: string }>;
}

const ok = (text: string) => ({ status: 'ok' as const, text });
const fail = (text: string) => ({ status: 'fail' as const, text });
const warn = (text: string) => ({ status: 'warn' as const, text });

export const PREFLIGHT_CHECKS = [
  {
    id: 'cluster-reachable',
    what: 'kubectl reaches the cluster',
    how: 'GET /version with the current kubeconfig',
    severity: 'fail',
    fix: 'point kubectl at the region\'s cluster (KUBECONFIG or kubectl config use-context) and check that "kubectl get --raw /version" answers',
    findings: { ok: ok('reached {server}'), fail: fail('cannot reach the cluster: {error}') },
  },
  {
    id: 'kubernetes-version',
    what: `the Kubernetes version is 1.${MIN_KUBERNETES_MINOR} or newer`,
    how: 'gitVersion of GET /version',
    severity: 'fail',
    fix: `upgrade the cluster to Kubernetes 1.${MIN_KUBERNETES_MINOR} or newer (older versions drop the StatefulSet volume retention policy qhc relies on)`,
    findings: {
      ok: ok('Kubernetes {version} (1.{minimum} or newer is supported)'),
      fail: fail('Kubernetes {version} is older than 1.{minimum}, the oldest supported version'),
    },
  },
  {
    id: 'cluster-scope-rights',
    what: 'the user may create the cluster-scoped objects (CRDs, ClusterRoles, ClusterRoleBindings, the namespace)',
    how: 'kubectl auth can-i (a SelfSubjectAccessReview) for create and patch of each',
    severity: 'fail',
    fix: "run the installation as a cluster administrator (the cluster-admin ClusterRole, e.g. the cluster's admin kubeconfig); qhc's components themselves run with least-privilege roles",
    findings: { ok: ok('this user may create and patch CRDs, ClusterRoles, ClusterRoleBindings and namespaces'), fail: fail('this user may not {missing}') },
  },
  {
    id: 'storage-class',
    what: 'a StorageClass for the database volumes exists (the one named in the operator settings, else the default)',
    how: 'list StorageClasses; settings.storage.default_storage_class_names.db, else the is-default-class annotation',
    severity: 'fail',
    fix: "mark a CSI block-storage class as the default (kubectl annotate storageclass <name> storageclass.kubernetes.io/is-default-class=true) or name one at settings.storage.default_storage_class_names.db in the region's operator settings",
    findings: {
      ok: ok('StorageClass "{storageClass}" ({source}) will hold the database volumes'),
      missing: fail('StorageClass "{storageClass}", named at settings.storage.default_storage_class_names.db, does not exist'),
      noDefault: fail('no StorageClass is marked as the default and the operator settings name none'),
      unreadable: fail('could not list StorageClasses: {error}'),
    },
  },
  {
    id: 'volume-expansion',
    what: 'the database StorageClass allows volume expansion',
    how: 'allowVolumeExpansion of that StorageClass',
    severity: 'warn',
    fix: "set allowVolumeExpansion: true on the class if its CSI driver can resize volumes, or use a class that can; until then clusters' storage cannot grow",
    findings: {
      ok: ok('StorageClass "{storageClass}" allows volume expansion'),
      warn: warn('StorageClass "{storageClass}" does not allow volume expansion: clusters\' storage cannot grow'),
    },
  },
  {
    id: 'volume-snapshots',
    what: 'the VolumeSnapshot CRDs and a VolumeSnapshotClass exist (for backups)',
    how: 'API discovery of snapshot.storage.k8s.io; settings.storage.snapshot_class, else the default VolumeSnapshotClass',
    severity: 'warn',
    fix: 'install the CSI snapshot CRDs and snapshot controller (github.com/kubernetes-csi/external-snapshotter) and a VolumeSnapshotClass for your CSI driver, named at settings.storage.snapshot_class; until then backups cannot be taken',
    findings: {
      ok: ok('VolumeSnapshot API served; VolumeSnapshotClass "{snapshotClass}" exists'),
      noApi: warn('the VolumeSnapshot CRDs (snapshot.storage.k8s.io) are not installed: backups cannot be taken'),
      missing: warn('VolumeSnapshotClass "{snapshotClass}", named at settings.storage.snapshot_class, does not exist: backups will fail'),
      noDefault: warn('no VolumeSnapshotClass is marked as the default and the operator settings name none: backups will fail'),
      unreadable: warn('could not check the VolumeSnapshot API: {error}'),
    },
  },
  {
    id: 'control-plane',
    what: "the control plane answers over HTTPS (through the region's proxy and CA settings)",
    how: "GET <control plane>/healthz from where the check runs; from inside the cluster, the agent's first call confirms it",
    severity: 'fail',
    fix: "allow outbound HTTPS (port 443, or the URL's port) to the control plane, set the region's proxy if one is required, and add the CA that signs the control plane's certificate (or the proxy's) to the region",
    findings: {
      ok: ok("{url} answered from here; from inside the cluster the agent's first call confirms it (qhc region get shows when it was last seen)"),
      fail: fail('{url} did not answer: {error}'),
      noCurl: warn("not checked: curl is not installed here; the agent's first call will tell"),
    },
  },
] as const satisfies readonly PreflightCheck[];

export type PreflightCheckId = (typeof PREFLIGHT_CHECKS)[number]['id'];
type Check<I extends PreflightCheckId> = Extract<(typeof PREFLIGHT_CHECKS)[number], { id: I }>;
export type PreflightOutcome<I extends PreflightCheckId> = keyof Check<I>['findings'] & string;

/** Every placeholder a finding may use; in bash each is the variable qhc_<name>. */
export const PREFLIGHT_VARIABLES = ['server', 'error', 'version', 'minimum', 'missing', 'storageClass', 'source', 'snapshotClass', 'url'] as const;
export type PreflightVariables = Partial<Record<(typeof PREFLIGHT_VARIABLES)[number], string>>;

export function preflightCheck<I extends PreflightCheckId>(id: I): Check<I> {
  return PREFLIGHT_CHECKS.find((c) => c.id === id) as Check<I>;
}

/** The result of one outcome, its template filled in. */
export function preflightResult<I extends PreflightCheckId>(id: I, outcome: PreflightOutcome<I>, vars: PreflightVariables = {}): PreflightResult {
  const check = preflightCheck(id);
  const finding = (check.findings as Record<string, { status: PreflightStatus; text: string }>)[outcome]!;
  const text = finding.text.replaceAll(/\{(\w+)\}/g, (_, name: string) => vars[name as keyof PreflightVariables] ?? `{${name}}`);
  return { id, status: finding.status, finding: text, ...(finding.status === 'ok' ? {} : { fix: check.fix }) };
}

const LABEL: Record<PreflightStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** One line per check, the same in the script and the CLI: status, id, finding and the fix. */
export function formatPreflightLine(result: PreflightResult): string {
  return `${LABEL[result.status]} ${result.id}: ${result.finding}${result.fix ? `. Fix: ${result.fix}` : ''}`;
}

/** What the checks look for in a region: the classes its operator settings name and where its agent calls. */
export interface PreflightTargets {
  /** The database StorageClass; empty: the cluster's default. */
  storageClass: string;
  /** The VolumeSnapshotClass; empty: the cluster's default. */
  snapshotClass: string;
  controlPlaneUrl: string;
}

export function preflightTargets(region: Region, controlPlaneUrl: string): PreflightTargets {
  const storage = region.operatorSettings.settings.storage;
  return { storageClass: storage.default_storage_class_names.db, snapshotClass: storage.snapshot_class, controlPlaneUrl };
}

/** The URL the control-plane check calls: the control plane's unauthenticated health endpoint. */
export function controlPlaneHealthUrl(controlPlaneUrl: string): string {
  return new URL('/healthz', controlPlaneUrl).toString();
}

/** What was found in a cluster, gathered by whoever runs the checks (the CLI, a test). */
export interface PreflightFacts {
  cluster: { reached: true; server: string; version: string } | { reached: false; error: string };
  /** "create customresourcedefinitions.apiextensions.k8s.io", … : the rights the user lacks. */
  missingRights: string[];
  storageClasses: { items: ReadonlyArray<{ name: string; default: boolean; allowVolumeExpansion: boolean }> } | { error: string };
  snapshots: { served: boolean; classes: ReadonlyArray<{ name: string; default: boolean }> } | { error: string };
  controlPlane: { answered: true } | { answered: false; error: string };
}

/** The minor version of a gitVersion such as v1.31.4-eks-1 (undefined when it is not 1.x). */
export function kubernetesMinor(version: string): number | undefined {
  const match = /^v?1\.(\d+)/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** The checks' results, in the order of PREFLIGHT_CHECKS (cluster checks only when it was reached). */
export function evaluatePreflight(facts: PreflightFacts, targets: PreflightTargets): PreflightResult[] {
  const results: PreflightResult[] = [];
  const url = controlPlaneHealthUrl(targets.controlPlaneUrl);
  const controlPlane = () =>
    facts.controlPlane.answered
      ? preflightResult('control-plane', 'ok', { url })
      : preflightResult('control-plane', 'fail', { url, error: facts.controlPlane.error });
  if (!facts.cluster.reached) return [preflightResult('cluster-reachable', 'fail', { error: facts.cluster.error }), controlPlane()];
  const { server, version } = facts.cluster;
  results.push(preflightResult('cluster-reachable', 'ok', { server }));
  const minor = kubernetesMinor(version);
  const minimum = String(MIN_KUBERNETES_MINOR);
  results.push(preflightResult('kubernetes-version', minor !== undefined && minor >= MIN_KUBERNETES_MINOR ? 'ok' : 'fail', { version, minimum }));
  results.push(
    facts.missingRights.length === 0
      ? preflightResult('cluster-scope-rights', 'ok')
      : preflightResult('cluster-scope-rights', 'fail', { missing: facts.missingRights.join(', ') }),
  );
  results.push(...storageResults(facts.storageClasses, targets.storageClass));
  results.push(snapshotResult(facts.snapshots, targets.snapshotClass));
  results.push(controlPlane());
  return results;
}

function storageResults(classes: PreflightFacts['storageClasses'], wanted: string): PreflightResult[] {
  if ('error' in classes) return [preflightResult('storage-class', 'unreadable', { error: classes.error })];
  const found = wanted ? classes.items.find((c) => c.name === wanted) : classes.items.find((c) => c.default);
  if (!found) return [wanted ? preflightResult('storage-class', 'missing', { storageClass: wanted }) : preflightResult('storage-class', 'noDefault')];
  const source = wanted ? 'named in the operator settings' : 'the default';
  return [
    preflightResult('storage-class', 'ok', { storageClass: found.name, source }),
    preflightResult('volume-expansion', found.allowVolumeExpansion ? 'ok' : 'warn', { storageClass: found.name }),
  ];
}

function snapshotResult(snapshots: PreflightFacts['snapshots'], wanted: string): PreflightResult {
  if ('error' in snapshots) return preflightResult('volume-snapshots', 'unreadable', { error: snapshots.error });
  if (!snapshots.served) return preflightResult('volume-snapshots', 'noApi');
  const found = wanted ? snapshots.classes.find((c) => c.name === wanted) : snapshots.classes.find((c) => c.default);
  if (!found) return wanted ? preflightResult('volume-snapshots', 'missing', { snapshotClass: wanted }) : preflightResult('volume-snapshots', 'noDefault');
  return preflightResult('volume-snapshots', 'ok', { snapshotClass: found.name });
}

/** Whether a StorageClass is the cluster's default (the GA annotation, or the beta one older clusters still carry). */
export function isDefaultStorageClass(annotations: Record<string, string> = {}): boolean {
  return annotations['storageclass.kubernetes.io/is-default-class'] === 'true' || annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

/** Whether a VolumeSnapshotClass is the default of its driver. */
export function isDefaultSnapshotClass(annotations: Record<string, string> = {}): boolean {
  return annotations['snapshot.storage.kubernetes.io/is-default-class'] === 'true';
}
