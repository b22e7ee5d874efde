// Writes the CRD YAML and JSON Schema files under generated/. A test fails when the
// committed files differ from what this would write, so run it after changing a schema.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArtifacts } from '../src/generate/artifacts.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated');
const artifacts = generateArtifacts();
for (const folder of ['crds', 'json-schema']) {
  const dir = join(outDir, folder);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) rmSync(join(dir, file));
}
for (const { path, content } of artifacts) {
  writeFileSync(join(outDir, path), content);
  console.log(JSON.stringify({ msg: 'wrote', path: `generated/${path}`, bytes: content.length }));
}
