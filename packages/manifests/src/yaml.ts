import { stringify } from 'yaml';
import type { KubeObject } from './object.ts';

/**
 * Multi-document YAML that Kubernetes reads back identically: YAML 1.1 output quotes
 * on/off/yes/no, which Kubernetes' YAML 1.1 decoder would otherwise turn into booleans.
 */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
