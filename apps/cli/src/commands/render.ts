import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { buildClusterObjects, buildInstallation } from '@qhc/manifests';
import { defaultOperatorSettings, parseOperatorSettings, parseQdrantCluster, parseRegion } from '@qhc/schemas';
import { CliError, EXIT } from '../exit.ts';

const out = (objects: unknown[], format: string) => {
  if (format === 'json') process.stdout.write(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`);
  else process.stdout.write(objects.map((o) => stringify(o)).join('---\n'));
};
const checkFormat = (format: string) => {
  if (format !== 'yaml' && format !== 'json') throw new CliError(`render prints yaml or json, not "${format}"`, { code: EXIT.usage });
};

/** `qhc render cluster <file>`: what the operator would apply for this QdrantCluster, offline. */
export function renderCluster(file: string, options: { output: string; settings?: string }): void {
  checkFormat(options.output);
  const cluster = parseQdrantCluster(readFileSync(file, 'utf8'), { source: file });
  const settings = options.settings ? parseOperatorSettings(readFileSync(options.settings, 'utf8'), { source: options.settings }) : defaultOperatorSettings();
  out(buildClusterObjects(cluster, settings), options.output);
}

/** `qhc render install <region-file>`: the objects a region's installation applies, offline. */
export function renderInstall(file: string, options: { output: string; controlPlaneUrl: string; bootstrapToken: string }): void {
  checkFormat(options.output);
  const region = parseRegion(readFileSync(file, 'utf8'), { source: file });
  out(buildInstallation(region, { controlPlaneUrl: options.controlPlaneUrl, bootstrapToken: options.bootstrapToken }), options.output);
}
