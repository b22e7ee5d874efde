// `qhc status` through the control plane: each environment's phase and components
// (HybridCloudService) with its agent's applied revision and last contact (qhc.v1 GetEnvironmentHealth).
import { qhcV1 } from '@qhc/cloud-api';
import { asJson, type Json } from '../cloud.ts';
import { rememberAnswer } from '../answers.ts';
import { age, type Column } from '../output.ts';
import { cloud } from './cluster-cloud.ts';
import type { Target } from './cluster-targets.ts';
import { environmentRow } from './region.ts';
import { environments } from './resolve.ts';

type Component = { name?: string; version?: string; phase?: string };
export interface StatusRow {
  name: string;
  phase?: string;
  components: Component[];
  health?: { lastSeenAt?: string; revision?: string; appliedRevision?: string; reason?: string; canCreateClusters?: boolean };
  message?: string;
}

const component = (r: StatusRow, name: string) => {
  const c = r.components.find((x) => x.name === name);
  return c ? `${(c.phase ?? '?').replace('HYBRID_CLOUD_ENVIRONMENT_COMPONENT_STATUS_PHASE_', '')} ${c.version ?? ''}`.trim() : '<unknown>';
};

export const STATUS_COLUMNS: Column<StatusRow>[] = [
  { header: 'region', value: (r) => r.name },
  {
    header: 'phase',
    value: (r) => (r.phase ?? (r.health?.lastSeenAt ? 'UNSPECIFIED' : 'NOT_CONNECTED')).replace('HYBRID_CLOUD_ENVIRONMENT_STATUS_PHASE_', ''),
  },
  { header: 'operator', value: (r) => component(r, 'qhc-operator') },
  { header: 'agent', value: (r) => component(r, 'qhc-agent') },
  { header: 'applied', value: (r) => `${r.health?.appliedRevision ?? '-'}/${r.health?.revision ?? '-'}` },
  { header: 'last seen', value: (r) => (r.health?.lastSeenAt ? `${age(r.health.lastSeenAt)} ago` : '<never>') },
  { header: 'message', value: (r) => r.message ?? r.health?.reason, wide: true },
];

/** One row per environment (only --region's when given); -o json|yaml prints the environment and its health as the API sent them. */
export async function statusRows(t: Target): Promise<StatusRow[]> {
  const api = cloud(t);
  const all = (await environments(api)).filter((e) => !t.region || e.name === t.region || e.id === t.region);
  return Promise.all(
    all.map(async (e) => {
      const env = environmentRow(e);
      const answer = await api.call('GetEnvironmentHealth', () =>
        api.environments.getEnvironmentHealth({ accountId: api.accountId, hybridCloudEnvironmentId: e.id }),
      );
      const health = answer.health ? (asJson(qhcV1.EnvironmentHealthSchema, answer.health) as StatusRow['health'] & Json) : undefined;
      const status = (env.status ?? {}) as { phase?: string; componentStatuses?: Component[]; message?: string };
      const row: StatusRow = {
        name: e.name,
        components: status.componentStatuses ?? [],
        ...(status.phase ? { phase: status.phase } : {}),
        ...(status.message ? { message: status.message } : {}),
        ...(health ? { health } : {}),
      };
      return rememberAnswer(row, { environment: env, ...(health ? { health } : {}) });
    }),
  );
}
