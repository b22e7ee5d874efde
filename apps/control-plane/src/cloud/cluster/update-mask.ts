import { clone, create, type DescMessage } from '@bufbuild/protobuf';
import type { FieldMask } from '@bufbuild/protobuf/wkt';
import { clusterV1 } from '@qhc/cloud-api';
import type { FieldProblem } from './database-config.ts';

// UpdateCluster's optional mask: only the listed fields of the sent cluster replace the stored
// ones. Pure. Paths name Cluster fields: top-level ones, or one field of the configuration.

const UPDATABLE = new Set(['name', 'labels', 'cost_allocation_label', 'configuration']);

type Fields = Record<string, unknown>;

function copyField(schema: DescMessage, from: Fields, to: Fields, name: string): boolean {
  const field = schema.fields.find((f) => f.name === name);
  if (!field) return false;
  to[field.localName] = from[field.localName];
  return true;
}

/** The cluster to store: `sent` whole without a mask, else `stored` with the masked fields of `sent`. */
export function applyUpdateMask(
  stored: clusterV1.Cluster,
  sent: clusterV1.Cluster,
  mask: FieldMask | undefined,
): { cluster: clusterV1.Cluster; problems?: undefined } | { problems: FieldProblem[] } {
  if (!mask || mask.paths.length === 0) return { cluster: sent };
  const merged = clone(clusterV1.ClusterSchema, stored);
  const problems: FieldProblem[] = [];
  mask.paths.forEach((path, i) => {
    const [head, sub, ...rest] = path.split('.');
    let copied = false;
    if (head && UPDATABLE.has(head) && sub === undefined)
      copied = copyField(clusterV1.ClusterSchema, sent as unknown as Fields, merged as unknown as Fields, head);
    else if (head === 'configuration' && sub && rest.length === 0) {
      merged.configuration ??= create(clusterV1.ClusterConfigurationSchema);
      const from = (sent.configuration ?? create(clusterV1.ClusterConfigurationSchema)) as unknown as Fields;
      copied = sub !== 'last_modified_at' && copyField(clusterV1.ClusterConfigurationSchema, from, merged.configuration as unknown as Fields, sub);
    }
    if (!copied)
      problems.push({
        field: `update_mask.paths[${i}]`,
        message: `${JSON.stringify(path)} is not a field UpdateCluster changes (name, labels, cost_allocation_label, configuration or configuration.<field>)`,
      });
  });
  return problems.length ? { problems } : { cluster: merged };
}
