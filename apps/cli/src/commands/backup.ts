import { randomBytes } from 'node:crypto';
import { QDRANT_API_VERSION, clusterResourceName, type ResourceRecord } from '@qhc/schemas';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, checkFormat, print, type Column } from '../output.ts';
import { parseDuration, waitUntil } from '../progress.ts';
import type { Target } from './cluster.ts';

// Backups (QdrantClusterSnapshot), their schedules (QdrantClusterScheduledSnapshot) and
// restores (QdrantClusterRestore) created directly in the cluster (--kubeconfig); through the
// control plane (--region), the Cloud API's BackupService (backup-cloud.ts).

type Kind = 'QdrantClusterSnapshot' | 'QdrantClusterScheduledSnapshot' | 'QdrantClusterRestore';
const NOUN: Record<Kind, string> = { QdrantClusterSnapshot: 'backup', QdrantClusterScheduledSnapshot: 'backup schedule', QdrantClusterRestore: 'restore' };

/** A resource as the commands show it: its name, spec and status. */
type Item = Pick<ResourceRecord, 'name' | 'spec' | 'status' | 'createdAt'> & { created?: string };

const direct = (t: Target) => Boolean(t.kubeconfig || t.kubeContext);

async function kube(t: Target) {
  const { createKubeClient, currentNamespace, loadKubeConfig } = await import('@qhc/kube');
  const kc = loadKubeConfig({ kubeconfigPath: t.kubeconfig, context: t.kubeContext });
  return { client: createKubeClient(kc, { fieldManager: 'qhc-cli' }), namespace: t.namespace ?? currentNamespace(kc) };
}
type KubeItem = {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; creationTimestamp?: string };
  spec: Record<string, unknown>;
  status?: Item['status'];
};
const fromKube = (o: KubeItem): Item => ({
  name: o.metadata.name!,
  spec: o.spec,
  ...(o.status ? { status: o.status } : {}),
  created: o.metadata.creationTimestamp,
});

async function create(kind: Kind, name: string, clusterId: string, spec: Record<string, unknown>, t: Target): Promise<Item> {
  const { client, namespace } = await kube(t);
  // The cluster's own labels (customer-id): the operator requires both on these kinds.
  const cluster = await client.get<KubeItem & { metadata: { labels?: Record<string, string> } }>({
    apiVersion: QDRANT_API_VERSION,
    kind: 'QdrantCluster',
    namespace,
    name: clusterResourceName(clusterId),
  });
  if (!cluster)
    throw new CliError(`cluster "${clusterId}" does not exist in namespace ${namespace}`, {
      code: EXIT.notFound,
      hint: `see \`qhc cluster list -n ${namespace}\``,
    });
  const object = {
    apiVersion: QDRANT_API_VERSION,
    kind,
    metadata: { name, namespace, labels: { 'cluster-id': clusterId, 'customer-id': cluster.metadata.labels?.['customer-id'] ?? 'qhc-cli' } },
    spec,
  };
  return fromKube((await client.apply(object as never)) as unknown as KubeItem);
}

/** Every one of the kind, or the first `max` (the API's pages followed). */
async function list(kind: Kind, t: Target, max?: number): Promise<Item[]> {
  const { client, namespace } = await kube(t);
  return (await client.list<KubeItem>({ apiVersion: QDRANT_API_VERSION, kind }, { namespace })).items.slice(0, max).map(fromKube);
}

async function get(kind: Kind, name: string, t: Target): Promise<Item> {
  const found = (await list(kind, t)).find((i) => i.name === name);
  if (!found)
    throw new CliError(`${NOUN[kind]} "${name}" does not exist`, {
      code: EXIT.notFound,
      hint: `see \`qhc ${kind === 'QdrantClusterRestore' ? 'restore' : kind === 'QdrantClusterSnapshot' ? 'backup' : 'backup schedule'} list\``,
    });
  return found;
}

async function remove(kind: Kind, name: string, options: { yes?: boolean; dryRun?: boolean }, t: Target): Promise<void> {
  await get(kind, name, t);
  if (options.dryRun) return void process.stderr.write(`${NOUN[kind]} ${name} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete ${NOUN[kind]} ${name}${kind === 'QdrantClusterSnapshot' ? ' and its volume snapshots' : ''}?`, options);
  const { client, namespace } = await kube(t);
  await client.delete({ apiVersion: QDRANT_API_VERSION, kind, namespace, name });
  process.stderr.write(`${NOUN[kind]} ${name} deleted\n`);
}

async function waitFinished(kind: Kind, name: string, t: Target, timeout: string | undefined, done: string[]): Promise<Item> {
  let last: Item | undefined;
  await waitUntil(
    `${NOUN[kind]} ${name}`,
    async () => {
      last = await get(kind, name, t);
      const phase = last.status?.phase;
      return {
        done: phase !== undefined && done.includes(phase),
        phase,
        ready: last.status?.volumeSnapshots?.filter((v) => (v as { readyToUse?: boolean }).readyToUse).length,
        size: last.status?.volumeSnapshots?.length,
      };
    },
    { timeoutMs: parseDuration(timeout ?? '30m') },
  );
  if (last?.status?.phase !== 'Succeeded') throw new CliError(`${NOUN[kind]} ${name} ended ${last?.status?.phase}: ${last?.status?.message ?? ''}`.trim());
  return last;
}

const shortId = () => randomBytes(4).toString('hex').slice(0, 6);
const stamp = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-').toLowerCase();

const BACKUP_COLUMNS: Column<Item>[] = [
  { header: 'name', value: (i) => i.name },
  { header: 'cluster', value: (i) => i.spec['cluster-id'] as string },
  { header: 'phase', value: (i) => i.status?.phase ?? 'Pending' },
  { header: 'volumes', value: (i) => (i.status?.volumeSnapshots ? String(i.status.volumeSnapshots.length) : '-') },
  { header: 'retain until', value: (i) => i.status?.retainUntil ?? '<forever>' },
  { header: 'message', value: (i) => i.status?.message, wide: true },
  { header: 'age', value: (i) => age(i.created ?? i.createdAt) },
];
const SCHEDULE_COLUMNS: Column<Item>[] = [
  { header: 'name', value: (i) => i.name },
  { header: 'cluster', value: (i) => i.spec['cluster-id'] as string },
  { header: 'schedule', value: (i) => i.spec.schedule as string },
  { header: 'retention', value: (i) => i.spec.retention as string },
  { header: 'next', value: (i) => i.status?.scheduled },
  { header: 'phase', value: (i) => i.status?.phase ?? 'Pending' },
];
const RESTORE_COLUMNS: Column<Item>[] = [
  { header: 'name', value: (i) => i.name },
  { header: 'backup', value: (i) => (i.spec.source as { snapshotName?: string } | undefined)?.snapshotName },
  { header: 'into', value: (i) => (i.spec.destination as { name?: string } | undefined)?.name },
  { header: 'phase', value: (i) => i.status?.phase ?? 'Pending' },
  { header: 'message', value: (i) => i.status?.message, wide: true },
  { header: 'age', value: (i) => age(i.created ?? i.createdAt) },
];
const show = (items: Item | Item[], columns: Column<Item>[], kind: string, t: Target) =>
  print(items, { format: checkFormat(t.output), noHeaders: t.noHeaders, columns, name: (i) => i.name, kind });

export async function backupCreate(
  cluster: string,
  options: { name?: string; retention?: string; wait?: boolean; timeout?: string },
  t: Target,
): Promise<void> {
  if (!direct(t)) return (await import('./backup-cloud.ts')).cloudBackupCreate(cluster, options, t);
  const name = options.name ?? `${cluster}-${stamp()}`;
  const created = await create(
    'QdrantClusterSnapshot',
    name,
    cluster,
    { 'cluster-id': cluster, ...(options.retention ? { retention: options.retention } : {}) },
    t,
  );
  process.stderr.write(`backup ${name} of cluster ${cluster} requested\n`);
  await show(
    options.wait ? await waitFinished('QdrantClusterSnapshot', name, t, options.timeout, ['Succeeded', 'Failed', 'Skipped']) : created,
    BACKUP_COLUMNS,
    'backup',
    t,
  );
}
export async function backupList(options: { cluster?: string; limit?: number }, t: Target): Promise<void> {
  if (!direct(t)) return (await import('./backup-cloud.ts')).cloudBackupList(options, t);
  // A cluster's backups are picked from all of them: the limit counts those shown.
  const all = await list('QdrantClusterSnapshot', t, options.cluster ? undefined : options.limit);
  await show(all.filter((i) => !options.cluster || i.spec['cluster-id'] === options.cluster).slice(0, options.limit), BACKUP_COLUMNS, 'backup', t);
}
export const backupDelete = async (name: string, options: { yes?: boolean; dryRun?: boolean }, t: Target) =>
  direct(t) ? remove('QdrantClusterSnapshot', name, options, t) : (await import('./backup-cloud.ts')).cloudBackupDelete(name, options, t);

export async function scheduleCreate(cluster: string, options: { name?: string; schedule: string; retention: string }, t: Target): Promise<void> {
  if (!direct(t)) return (await import('./backup-cloud.ts')).cloudScheduleCreate(cluster, options, t);
  const id = shortId();
  const name = options.name ?? `${cluster}-${id}`;
  await show(
    await create(
      'QdrantClusterScheduledSnapshot',
      name,
      cluster,
      { 'cluster-id': cluster, scheduleShortId: id, schedule: options.schedule, retention: options.retention },
      t,
    ),
    SCHEDULE_COLUMNS,
    'schedule',
    t,
  );
}
export const scheduleList = async (options: { limit?: number }, t: Target) =>
  !direct(t)
    ? (await import('./backup-cloud.ts')).cloudScheduleList(options, t)
    : show(await list('QdrantClusterScheduledSnapshot', t, options.limit), SCHEDULE_COLUMNS, 'schedule', t);
export const scheduleDelete = async (name: string, options: { yes?: boolean; dryRun?: boolean }, t: Target) =>
  direct(t) ? remove('QdrantClusterScheduledSnapshot', name, options, t) : (await import('./backup-cloud.ts')).cloudScheduleDelete(name, options, t);

export async function restoreCreate(
  backup: string,
  options: { to: string; new?: boolean; name?: string; wait?: boolean; timeout?: string },
  t: Target,
): Promise<void> {
  if (!direct(t)) return (await import('./backup-cloud.ts')).cloudRestoreCreate(backup, options, t);
  const source = await get('QdrantClusterSnapshot', backup, t);
  const { namespace } = await kube(t);
  const name = options.name ?? `${backup}-to-${options.to}`.slice(0, 63).replace(/-+$/, '');
  const created = await create(
    'QdrantClusterRestore',
    name,
    source.spec['cluster-id'] as string,
    { source: { snapshotName: backup, namespace }, destination: { name: clusterResourceName(options.to), namespace, create: options.new === true } },
    t,
  );
  process.stderr.write(`restore ${name}: backup ${backup} into ${options.new ? 'a new' : 'the existing'} cluster ${options.to}\n`);
  await show(
    options.wait ? await waitFinished('QdrantClusterRestore', name, t, options.timeout, ['Succeeded', 'Failed']) : created,
    RESTORE_COLUMNS,
    'restore',
    t,
  );
}
export const restoreList = async (options: { limit?: number }, t: Target) =>
  !direct(t)
    ? (await import('./backup-cloud.ts')).cloudRestoreList(options, t)
    : show(await list('QdrantClusterRestore', t, options.limit), RESTORE_COLUMNS, 'restore', t);
export const restoreGet = async (name: string, t: Target) =>
  !direct(t) ? (await import('./backup-cloud.ts')).cloudRestoreGet(name, t) : show(await get('QdrantClusterRestore', name, t), RESTORE_COLUMNS, 'restore', t);
