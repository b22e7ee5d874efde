// pnpm images: builds the images and prints one JSON line each (reference, size, build time).
// pnpm images --push <registry> [--charts <repository>] [--plain-http] [--no-build]: then pushes
// them and the chart under the release's names (what `pnpm release` does with
// QHC_RELEASE_REGISTRY); --no-build pushes the images an earlier `pnpm images` built.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { APPS, buildImage, type ImageName } from './build.ts';
import { pushRelease } from './push.ts';

const { values } = parseArgs({
  options: {
    push: { type: 'string' },
    charts: { type: 'string' },
    'plain-http': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const root = fileURLToPath(new URL('../../../', import.meta.url));
const versions = new Set<string>();
for (const name of Object.keys(APPS) as ImageName[]) {
  if (values['no-build']) {
    versions.add((JSON.parse(readFileSync(join(root, APPS[name].dir, 'package.json'), 'utf8')) as { version: string }).version);
    continue;
  }
  const image = await buildImage(name);
  versions.add(image.reference.split(':').at(-1)!);
  console.log(JSON.stringify({ ...image, sizeMiB: Math.round((image.sizeBytes / 1_048_576) * 10) / 10 }));
}
if (values.push) {
  if (versions.size !== 1) throw new Error(`the apps are not at one version (${[...versions].join(', ')}): run changeset version first`);
  const registry = values.push.replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
  const charts = (values.charts ?? `${registry}/charts`).replace(/^[a-z]+:\/\//, '').replace(/\/+$/, '');
  for (const artifact of await pushRelease({ version: [...versions][0]!, registry, charts, plainHttp: values['plain-http'] })) {
    console.log(JSON.stringify({ pushed: artifact.reference, kind: artifact.kind }));
  }
}
