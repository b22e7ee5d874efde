// qhc mirror: copies a release's images and chart into a private registry, so a region whose
// container registry and chart repository point there pulls nothing from anywhere else.
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { releaseArtifacts, type ReleaseArtifact } from '@qhc/manifests';
import { DEFAULT_CHART_REPOSITORY_URL, DEFAULT_CONTAINER_REGISTRY_URL, parseOperatorSettings } from '@qhc/schemas';
import { CliError, EXIT } from '../exit.ts';
import { checkFormat, print } from '../output.ts';
import { RegistryClient, RegistryError } from '../oci/client.ts';
import { copyArtifact } from '../oci/copy.ts';
import { loginHint, storedLogin } from '../oci/credentials.ts';
import { formatLocation, parseLocation, repository, type RegistryLocation } from '../oci/location.ts';

export interface MirrorOptions {
  to: string;
  chartsTo?: string;
  from?: string;
  chartsFrom?: string;
  release: string;
  /** Qdrant versions whose database image to copy too (comma-separated). */
  qdrant?: string;
  qdrantFrom?: string;
  settings?: string;
  /** Plain HTTP to the registries copied to (--to, --charts-to). */
  plainHttp?: boolean;
  /** Plain HTTP to the registries copied from. */
  sourcePlainHttp?: boolean;
  dryRun?: boolean;
  /** Where to write the region settings that point at the mirror. */
  regionFile?: string;
  output: string;
  noHeaders: boolean;
}

interface MirrorRow {
  kind: ReleaseArtifact['kind'];
  source: string;
  target: string;
  digest: string;
  result: 'copied' | 'unchanged' | 'would copy';
  blobs: number;
  mebibytes: number;
}

export async function mirror(options: MirrorOptions): Promise<void> {
  const format = checkFormat(options.output);
  const inputs = mirrorInputs(options);
  const { to, chartsTo, from, chartsFrom, qdrantFrom } = inputs;
  // --plain-http is about the private registry; the public one is HTTPS unless told otherwise.
  const plainHosts = new Set<string>();
  if (options.plainHttp) for (const l of [to, chartsTo]) plainHosts.add(l.host);
  if (options.sourcePlainHttp) for (const l of [from, chartsFrom, qdrantFrom]) plainHosts.add(l.host);
  // The database images: clusters pull them later, from the repository the operator settings name.
  const qdrantImages: ReleaseArtifact[] = inputs.qdrantVersions.map((tag) => ({ kind: 'image', name: 'qdrant', tag, source: 'qdrant' }));
  const artifacts = [...releaseArtifacts(inputs.version, inputs.settings), ...qdrantImages];
  const rows = await copyAll(artifacts, inputs, { client: registryClients(plainHosts), dryRun: options.dryRun, release: options.release, format });
  await print(rows, {
    format,
    noHeaders: options.noHeaders,
    kind: 'artifact',
    name: (r) => r.target,
    columns: [
      { header: 'kind', value: (r) => r.kind },
      { header: 'target', value: (r) => r.target },
      { header: 'result', value: (r) => r.result },
      { header: 'digest', value: (r) => (format === 'wide' ? r.digest : r.digest.slice(0, 19)) },
      { header: 'blobs', value: (r) => r.blobs, wide: true },
      { header: 'MiB', value: (r) => r.mebibytes, wide: true },
      { header: 'source', value: (r) => r.source, wide: true },
    ],
  });
  const fragment = mirrorRegionSettings({ to, chartsTo, plainHttp: plainHosts.has(to.host) });
  if (options.regionFile) writeFileSync(options.regionFile, fragment);
  if (format === 'table' || format === 'wide') {
    process.stderr.write(
      `\nPoint a region at the mirror: qhc region update <region> -f ${options.regionFile ?? '<this YAML in a file>'} (or qhc region create, or the console's advanced options)\n` +
        fragment.replace(/^/gm, '  ') +
        (qdrantImages.length > 0
          ? `and its operator settings at the database images:\n  settings.qdrant.image.repository: ${formatLocation(to)}/qdrant\n`
          : ''),
    );
  }
}

interface MirrorInputs {
  version: string;
  to: RegistryLocation;
  chartsTo: RegistryLocation;
  from: RegistryLocation;
  chartsFrom: RegistryLocation;
  qdrantFrom: RegistryLocation;
  qdrantVersions: string[];
  settings: ReturnType<typeof parseOperatorSettings> | undefined;
}

/** The flags, checked: a usage error names the flag. */
function mirrorInputs(options: MirrorOptions): MirrorInputs {
  if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/.test(options.release))
    throw new CliError(`--release: "${options.release}" is not a version such as 1.4.2`, { code: EXIT.usage });
  const to = parseLocation(options.to, '--to');
  const chartsTo = parseLocation(options.chartsTo ?? `${formatLocation(to)}/charts`, '--charts-to');
  const from = parseLocation(options.from ?? DEFAULT_CONTAINER_REGISTRY_URL, '--from');
  const chartsFrom = parseLocation(options.chartsFrom ?? DEFAULT_CHART_REPOSITORY_URL, '--charts-from');
  const settings = options.settings ? parseOperatorSettings(readFileSync(options.settings, 'utf8'), { source: options.settings }) : undefined;
  const qdrantVersions = (options.qdrant ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of qdrantVersions)
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(v)) throw new CliError(`--qdrant: "${v}" is not an image tag such as v1.16.2`, { code: EXIT.usage });
  // Docker Hub's API lives on another host than its image names say.
  const qdrantFrom = parseLocation(options.qdrantFrom ?? 'docker.io/qdrant/qdrant', '--qdrant-from');
  if (qdrantFrom.host === 'docker.io') qdrantFrom.host = 'registry-1.docker.io';
  return { version: options.release.replace(/^v/, ''), to, chartsTo, from, chartsFrom, qdrantFrom, qdrantVersions, settings };
}

/** One client per registry host, with the login podman or docker stored for it. */
function registryClients(plainHosts: Set<string>): (location: RegistryLocation) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  return (location) => {
    let c = clients.get(location.host);
    if (!c) {
      const login = storedLogin(location.host);
      c = new RegistryClient(location.host, {
        plainHttp: plainHosts.has(location.host),
        credentials: login.credentials,
        loginHint: loginHint(location.host, login),
      });
      clients.set(location.host, c);
    }
    return c;
  };
}

interface CopyContext {
  client: (location: RegistryLocation) => RegistryClient;
  dryRun: boolean | undefined;
  release: string;
  format: string;
}

/** Each artifact copied (or, with --dry-run, looked up), in order; the first registry error stops it, saying how far it got. */
async function copyAll(artifacts: ReleaseArtifact[], inputs: MirrorInputs, context: CopyContext): Promise<MirrorRow[]> {
  const { chartsFrom, chartsTo, qdrantFrom, from, to } = inputs;
  const { client } = context;
  const rows: MirrorRow[] = [];
  for (const artifact of artifacts) {
    const isQdrant = artifact.source === 'qdrant';
    const [src, dst] = artifact.kind === 'chart' ? [chartsFrom, chartsTo] : isQdrant ? [qdrantFrom, to] : [from, to];
    const sourceRepo = isQdrant ? qdrantFrom.path : repository(src, artifact.name);
    const targetRepo = repository(dst, artifact.name);
    const row = { kind: artifact.kind, source: `${src.host}/${sourceRepo}:${artifact.tag}`, target: `${dst.host}/${targetRepo}:${artifact.tag}` };
    try {
      if (context.dryRun) {
        const manifest = await client(src).manifest(sourceRepo, artifact.tag);
        if (!manifest) throw new RegistryError(`${row.source} does not exist`, 404);
        rows.push({ ...row, digest: manifest.digest, result: 'would copy', blobs: 0, mebibytes: 0 });
        continue;
      }
      if (context.format === 'table') process.stderr.write(`copying ${row.source} → ${row.target}\n`);
      const result = await copyArtifact(client(src), sourceRepo, client(dst), targetRepo, artifact.tag);
      const mebibytes = Math.round((result.bytes / 1_048_576) * 10) / 10;
      rows.push({ ...row, digest: result.digest, result: result.copied ? 'copied' : 'unchanged', blobs: result.blobs, mebibytes });
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      const done = rows.length > 0 ? ` (${rows.length} of the release's artifacts were copied; run it again to go on)` : '';
      throw new CliError(`${artifact.kind} ${artifact.name}:${artifact.tag}: ${error.message}${done}`, {
        code: error.status === 404 ? EXIT.notFound : EXIT.error,
        hint: error.status === 404 ? `is ${context.release} a release published at ${formatLocation(src)}? (--release, --from, --charts-from)` : undefined,
      });
    }
  }
  return rows;
}

/**
 * The part of an environment's configuration that points it at a mirror, in the API's shape
 * (HybridCloudEnvironmentConfiguration's proto JSON names), as YAML that `qhc region create/update -f`
 * takes as it is (update keeps the rest of the configuration).
 */
export function mirrorRegionSettings(options: { to: RegistryLocation; chartsTo: RegistryLocation; plainHttp: boolean }): string {
  const scheme = options.plainHttp ? 'http' : 'https';
  return stringify({ containerRegistryUrl: `${scheme}://${formatLocation(options.to)}/`, chartRepositoryUrl: `oci://${formatLocation(options.chartsTo)}` });
}
