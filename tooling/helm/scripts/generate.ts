// Writes the chart's generated files (CRDs, RBAC, values.schema.json) from the builders.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHART_DIR, generatedChartFiles } from '../src/index.ts';

for (const file of generatedChartFiles()) {
  const path = join(CHART_DIR, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.content);
  console.log(`wrote charts/qhc/${file.path}`);
}
