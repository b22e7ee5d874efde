export { CHART_DIR, CHART_NAME, helm, helmBinary, packageChart, registryAuthFile } from './chart.ts';
export { generatedChartFiles, type GeneratedFile } from './generate.ts';
