import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RegionRecordView, regionStatusOf, type RegionHealth } from '@qhc/schemas';
import { answeredSpec } from '../answers.ts';
import { ControlPlane } from '../api.ts';
import { resolveContext } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, checkFormat, print, type Column } from '../output.ts';
import { didYouMean } from './names.ts';

const healthOf = (r: RegionRecordView) => regionStatusOf(r.status)?.health;

const COLUMNS: Column<RegionRecordView>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'namespace', value: (r) => r.spec.namespace },
  { header: 'phase', value: (r) => regionStatusOf(r.status)?.phase ?? (r.lastSeenAt ? 'Unknown' : 'NotConnected') },
  { header: 'revision', value: (r) => `${r.appliedRevision ?? '-'}/${r.revision}` },
  { header: 'operator', value: (r) => r.spec.operatorVersion, wide: true },
  { header: 'agent', value: (r) => r.spec.agentVersion, wide: true },
  { header: 'last seen', value: (r) => (r.lastSeenAt ? age(r.lastSeenAt) : '<never>'), wide: true },
  // The region's health as its agent reports it (see health.ts in @qhc/agent).
  {
    header: 'kubernetes',
    value: (r) => {
      const h = healthOf(r);
      return h ? `${h.kubernetes.version} (${h.kubernetes.distribution})` : undefined;
    },
    wide: true,
  },
  { header: 'nodes', value: (r) => healthOf(r)?.nodes.count, wide: true },
  { header: 'storage', value: (r) => storageSummary(healthOf(r)), wide: true },
  { header: 'snapshots', value: (r) => (healthOf(r) ? (healthOf(r)!.capabilities.volumeSnapshot ? 'yes' : 'no') : undefined), wide: true },
  {
    header: 'clusters',
    value: (r) => {
      const h = healthOf(r);
      return h ? (h.canCreateClusters ? 'can be created' : `blocked: ${h.reason}`) : undefined;
    },
    wide: true,
  },
  { header: 'age', value: (r) => age(r.createdAt) },
];

/** "qhc-expandable (default, expandable)": the class clusters get by default. */
function storageSummary(health: RegionHealth | undefined): string | undefined {
  if (!health) return undefined;
  const chosen = health.storageClasses.find((c) => c.default);
  if (!chosen) return health.storageClasses.length ? `${health.storageClasses.length} class(es), no default` : 'none';
  return `${chosen.name} (default, ${chosen.allowVolumeExpansion ? 'expandable' : 'not expandable'})`;
}

export interface Global {
  context?: string;
  output?: string;
  noHeaders?: boolean;
}

const cp = (g: Global) => new ControlPlane(resolveContext(g));
const show = (items: RegionRecordView | RegionRecordView[], g: Global) =>
  print(items, { format: checkFormat(g.output), noHeaders: g.noHeaders, columns: COLUMNS, name: (r) => r.name, kind: 'region' });

/** A region from a file (YAML or JSON; operator settings as an object or YAML text) and flags, flags winning. */
function regionBody(options: {
  file?: string;
  name?: string;
  namespace?: string;
  agentVersion?: string;
  operatorVersion?: string;
  operatorSettings?: string;
}): Record<string, unknown> {
  const fromFile = options.file ? ((parse(readFileSync(options.file, 'utf8')) ?? {}) as Record<string, unknown>) : {};
  return {
    ...fromFile,
    ...(options.name ? { name: options.name } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.agentVersion ? { agentVersion: options.agentVersion } : {}),
    ...(options.operatorVersion ? { operatorVersion: options.operatorVersion } : {}),
    ...(options.operatorSettings ? { operatorSettings: readFileSync(options.operatorSettings, 'utf8') } : {}),
  };
}

export async function regionCreate(options: Parameters<typeof regionBody>[0] & { dryRun?: boolean }, g: Global): Promise<void> {
  const body = regionBody(options);
  if (options.dryRun) return show(body as unknown as RegionRecordView, { ...g, output: g.output ?? 'yaml' });
  await show(await cp(g).record(RegionRecordView, 'POST', '/api/v1/regions', body), g);
}

export async function regionList(options: { limit?: number }, g: Global): Promise<void> {
  await show(await cp(g).list('/api/v1/regions', RegionRecordView, options.limit), g);
}

export async function regionGet(name: string, g: Global): Promise<void> {
  await show(await getRegion(cp(g), name), g);
}

async function getRegion(api: ControlPlane, name: string): Promise<RegionRecordView> {
  try {
    return await api.record(RegionRecordView, 'GET', `/api/v1/regions/${encodeURIComponent(name)}`);
  } catch (error) {
    if (error instanceof CliError && error.code === EXIT.notFound) {
      const names = (await api.list('/api/v1/regions', RegionRecordView)).map((r) => r.name);
      throw new CliError(`region "${name}" does not exist`, { code: EXIT.notFound, hint: didYouMean(name, names, 'qhc region list') });
    }
    throw error;
  }
}

export async function regionUpdate(name: string, options: Parameters<typeof regionBody>[0], g: Global): Promise<void> {
  const api = cp(g);
  // The spec as the control plane sent it: a field this qhc does not know goes back unchanged, and no default of this qhc is added.
  const current = answeredSpec(await getRegion(api, name));
  const body = regionBody(options);
  // A file with some advanced settings (e.g. `qhc mirror --region-file`) changes those, not the whole block.
  const advanced =
    body.advanced && typeof body.advanced === 'object' ? { advanced: { ...(current.advanced as object | undefined), ...(body.advanced as object) } } : {};
  await show(await api.record(RegionRecordView, 'PUT', `/api/v1/regions/${encodeURIComponent(name)}`, { ...current, ...body, ...advanced, name }), g);
}

export async function regionDelete(name: string, options: { yes?: boolean; dryRun?: boolean }, g: Global): Promise<void> {
  const api = cp(g);
  await getRegion(api, name);
  if (options.dryRun) return void process.stderr.write(`region ${name} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete region ${name} and everything the control plane knows about it?`, options);
  await api.request('DELETE', `/api/v1/regions/${encodeURIComponent(name)}`);
  process.stderr.write(`region ${name} deleted\n`);
}

/** `qhc region install-command <region>`: the command to run in the cluster; `--output-file` saves the script itself. */
export async function regionInstallCommand(name: string, options: { outputFile?: string; helm?: boolean }, g: Global): Promise<void> {
  const api = cp(g);
  await getRegion(api, name);
  const install = await api.request<{
    command: string;
    scriptUrl: string;
    helmCommand: string;
    helmScriptUrl: string;
    bootstrapToken: string;
    expiresAt?: string;
  }>('POST', `/api/v1/regions/${encodeURIComponent(name)}/installation`);
  const scriptUrl = options.helm ? install.helmScriptUrl : install.scriptUrl;
  if (options.outputFile) {
    writeFileSync(options.outputFile, await api.text(new URL(scriptUrl).pathname), { mode: 0o700 });
    process.stderr.write(
      `installation script${options.helm ? ' (Helm)' : ''} written to ${options.outputFile}; run it with a kubeconfig for the region's cluster\n`,
    );
  } else {
    process.stdout.write(`${options.helm ? install.helmCommand : install.command}\n`);
  }
  // On stderr: stdout stays the command alone, for `$(qhc region install-command r)`.
  if (install.expiresAt) process.stderr.write(`${installExpiryNote(install.expiresAt)}\n`);
}

/** When the command's one-time token stops working (the control plane's --bootstrap-token-ttl). */
export function installExpiryNote(expiresAt: string, now = new Date()): string {
  const minutes = Math.max(0, Math.round((Date.parse(expiresAt) - now.getTime()) / 60_000));
  const left = minutes >= 120 ? `${Math.round(minutes / 60)}h` : `${minutes}m`;
  return `the installation token works once and expires at ${expiresAt} (in ${left}); after that, make a new command`;
}
