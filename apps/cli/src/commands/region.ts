import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { hybridV1 } from '@qhc/cloud-api';
import { CloudApi, messageOf, viewOf, type Json } from '../cloud.ts';
import { resolveContext } from '../config.ts';
import { confirmOrExit } from '../confirm.ts';
import { CliError, EXIT } from '../exit.ts';
import { age, checkFormat, print, type Column } from '../output.ts';
import { environmentOf, environments } from './resolve.ts';

// Regions are the Cloud API's hybrid cloud environments (HybridCloudService); their agent and
// operator versions and installation commands are qhc's own (qhc.v1.EnvironmentAgentService).

/** What the tables read of an environment: its proto JSON. */
type EnvironmentRow = Json & { id: string; name: string; createdAt?: string; configuration?: Json; status?: Json };
const ENVIRONMENT = hybridV1.HybridCloudEnvironmentSchema;
const PHASE_PREFIX = 'HYBRID_CLOUD_ENVIRONMENT_STATUS_PHASE_';

const status = (r: EnvironmentRow) => (r.status ?? {}) as { phase?: string; kubernetesVersion?: string; numberOfNodes?: number; message?: string };
const COLUMNS: Column<EnvironmentRow>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'id', value: (r) => r.id, wide: true },
  { header: 'namespace', value: (r) => r.configuration?.namespace as string | undefined },
  { header: 'phase', value: (r) => (status(r).phase ?? `${PHASE_PREFIX}UNSPECIFIED`).replace(PHASE_PREFIX, '') },
  { header: 'kubernetes', value: (r) => status(r).kubernetesVersion, wide: true },
  { header: 'nodes', value: (r) => status(r).numberOfNodes, wide: true },
  { header: 'message', value: (r) => status(r).message, wide: true },
  { header: 'age', value: (r) => age(r.createdAt) },
];

export interface Global {
  context?: string;
  output?: string;
  noHeaders?: boolean;
}

export const cloudApi = (g: Global) => new CloudApi(resolveContext(g));
export const environmentRow = (e: hybridV1.HybridCloudEnvironment) => viewOf(ENVIRONMENT, e, (json) => json as EnvironmentRow);
const show = (items: EnvironmentRow | EnvironmentRow[], g: Global) =>
  print(items, { format: checkFormat(g.output), noHeaders: g.noHeaders, columns: COLUMNS, name: (r) => r.name, kind: 'region' });

export interface RegionFlags {
  file?: string;
  name?: string;
  namespace?: string;
  agentVersion?: string;
  operatorVersion?: string;
}

/**
 * The environment's configuration from a file (YAML or JSON in the API's shape: the
 * HybridCloudEnvironmentConfiguration's proto JSON names; or a whole environment with `name`
 * and `configuration`) and flags, flags winning.
 */
function fromFile(options: RegionFlags): { name?: string; configuration: Json } {
  const doc = options.file ? ((parse(readFileSync(options.file, 'utf8')) ?? {}) as Json) : {};
  const whole = typeof doc.configuration === 'object' && doc.configuration !== null;
  const configuration = { ...((whole ? doc.configuration : doc) as Json), ...(options.namespace ? { namespace: options.namespace } : {}) };
  if (options.file) messageOf(hybridV1.HybridCloudEnvironmentConfigurationSchema, configuration, options.file);
  const name = options.name ?? (whole && typeof doc.name === 'string' ? doc.name : undefined);
  return { ...(name ? { name } : {}), configuration };
}

/** The agent and operator versions (qhc.v1), when a flag names one. */
async function setVersions(api: CloudApi, environmentId: string, options: RegionFlags): Promise<void> {
  if (!options.agentVersion && !options.operatorVersion) return;
  await api.call('UpdateEnvironmentVersions', () =>
    api.environments.updateEnvironmentVersions({
      accountId: api.accountId,
      hybridCloudEnvironmentId: environmentId,
      ...(options.agentVersion ? { agentVersion: options.agentVersion } : {}),
      ...(options.operatorVersion ? { operatorVersion: options.operatorVersion } : {}),
    }),
  );
}

export async function regionCreate(options: RegionFlags & { dryRun?: boolean }, g: Global): Promise<void> {
  const { name, configuration } = fromFile(options);
  if (!name) throw new CliError('the region needs a name', { code: EXIT.usage, hint: 'qhc region create <name> [-f configuration.yaml]' });
  const api = options.dryRun ? undefined : cloudApi(g);
  const environment = { accountId: api?.accountId ?? '', name, configuration };
  const message = messageOf(ENVIRONMENT, environment, options.file ?? 'the region');
  if (!api)
    return show(
      viewOf(ENVIRONMENT, message, (json) => json as EnvironmentRow),
      { ...g, output: g.output === 'table' ? 'yaml' : g.output },
    );
  const created = await api.call('CreateHybridCloudEnvironment', () => api.hybrid.createHybridCloudEnvironment({ hybridCloudEnvironment: message }));
  await setVersions(api, created.hybridCloudEnvironment!.id, options);
  await show(environmentRow(created.hybridCloudEnvironment!), g);
}

export async function regionList(options: { limit?: number }, g: Global): Promise<void> {
  await show((await environments(cloudApi(g))).slice(0, options.limit).map(environmentRow), g);
}

export async function regionGet(ref: string, g: Global): Promise<void> {
  await show(environmentRow(await environmentOf(cloudApi(g), ref)), g);
}

/** The environment as the control plane sent it, with the file's configuration fields (and the flags) over it: a field not named stays as it is. */
export async function regionUpdate(ref: string, options: RegionFlags, g: Global): Promise<void> {
  const api = cloudApi(g);
  const current = environmentRow(await environmentOf(api, ref));
  const { name, configuration } = fromFile(options);
  const { status: _status, ...rest } = current;
  const { lastModifiedAt: _modified, ...was } = current.configuration ?? {};
  const next = messageOf(ENVIRONMENT, { ...rest, ...(name ? { name } : {}), configuration: { ...was, ...configuration } }, options.file ?? 'the region');
  const updated = await api.call('UpdateHybridCloudEnvironment', () => api.hybrid.updateHybridCloudEnvironment({ hybridCloudEnvironment: next }));
  await setVersions(api, current.id, options);
  await show(environmentRow(updated.hybridCloudEnvironment!), g);
}

export async function regionDelete(ref: string, options: { yes?: boolean; dryRun?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const environment = await environmentOf(api, ref);
  if (options.dryRun) return void process.stderr.write(`region ${environment.name} would be deleted (dry run)\n`);
  await confirmOrExit(`Delete region ${environment.name} and everything the control plane knows about it?`, options);
  await api.call('DeleteHybridCloudEnvironment', () =>
    api.hybrid.deleteHybridCloudEnvironment({ accountId: api.accountId, hybridCloudEnvironmentId: environment.id }),
  );
  process.stderr.write(`region ${environment.name} deleted\n`);
}

/** `qhc region install-command <region>`: the command to run in the cluster; `--output-file` saves the script itself. */
export async function regionInstallCommand(ref: string, options: { outputFile?: string; helm?: boolean }, g: Global): Promise<void> {
  const api = cloudApi(g);
  const environment = await environmentOf(api, ref);
  const { installation } = await api.call('CreateInstallation', () =>
    api.environments.createInstallation({ accountId: api.accountId, hybridCloudEnvironmentId: environment.id }),
  );
  const install = installation!;
  if (options.outputFile) {
    writeFileSync(options.outputFile, await fetchScript(options.helm ? install.helmScriptUrl : install.scriptUrl, api), { mode: 0o700 });
    process.stderr.write(
      `installation script${options.helm ? ' (Helm)' : ''} written to ${options.outputFile}; run it with a kubeconfig for the region's cluster\n`,
    );
  } else {
    process.stdout.write(`${options.helm ? install.helmCommand : install.command}\n`);
  }
  // On stderr: stdout stays the command alone, for `$(qhc region install-command r)`.
  if (install.expiresAt) process.stderr.write(`${installExpiryNote(new Date(Number(install.expiresAt.seconds) * 1000).toISOString())}\n`);
}

/** The script behind the command's URL (its one-time token is in the URL), trusting the context's CA. */
async function fetchScript(url: string, api: CloudApi): Promise<string> {
  const { scriptText } = await import('./script.ts');
  return scriptText(url, api.caFile);
}

/** When the command's one-time token stops working (the control plane's --bootstrap-token-ttl). */
export function installExpiryNote(expiresAt: string, now = new Date()): string {
  const minutes = Math.max(0, Math.round((Date.parse(expiresAt) - now.getTime()) / 60_000));
  const left = minutes >= 120 ? `${Math.round(minutes / 60)}h` : `${minutes}m`;
  return `the installation token works once and expires at ${expiresAt} (in ${left}); after that, make a new command`;
}
