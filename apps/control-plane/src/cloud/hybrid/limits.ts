import type { hybridV1 } from '@qhc/cloud-api';
import { at, type FieldProblem } from './problems.ts';

// How many items an environment's repeated fields may hold, checked before any item is: a
// refusal then costs one problem per field, and every stored environment stays small enough
// for a List to fit a gRPC client's default 4 MB message limit.

/** node_selector and control_plane_labels: Qdrant Cloud's own limit; the others: far above any real environment. */
export const ENVIRONMENT_LIST_LIMITS = {
  no_proxy_configs: 100,
  ingress: 20,
  egress: 20,
  tolerations: 10,
  node_selector: 10,
  control_plane_labels: 10,
} as const;

/** Inside one network policy rule: its ports and peers, and each peer's selector and except lists. */
export const RULE_LIST_LIMIT = 20;

type Configuration = hybridV1.HybridCloudEnvironmentConfiguration;
type Rule = Configuration['ingress'][number] | Configuration['egress'][number];

function limit(problems: FieldProblem[], count: number, max: number, path: string): void {
  if (count > max) problems.push({ path, message: `must have at most ${max} items, got ${count}` });
}

function ruleLimits(rule: Rule, base: string, problems: FieldProblem[]): void {
  const side = 'from' in rule ? 'from' : 'to';
  const peers = 'from' in rule ? rule.from : rule.to;
  limit(problems, rule.ports.length, RULE_LIST_LIMIT, at(base, 'ports'));
  limit(problems, peers.length, RULE_LIST_LIMIT, at(base, side));
  if (peers.length > RULE_LIST_LIMIT) return;
  peers.forEach((peer, j) => {
    const type = peer.peerType;
    const path = at(base, side, j);
    if (type.case === 'ipBlock') limit(problems, type.value.except.length, RULE_LIST_LIMIT, at(path, 'ip_block', 'except'));
    if (type.case !== 'selector') return;
    for (const [name, selector] of [
      ['pod_selector', type.value.podSelector],
      ['namespace_selector', type.value.namespaceSelector],
    ] as const) {
      if (!selector) continue;
      limit(problems, selector.matchLabels.length, RULE_LIST_LIMIT, at(path, 'selector', name, 'match_labels'));
      limit(problems, selector.matchExpressions.length, RULE_LIST_LIMIT, at(path, 'selector', name, 'match_expressions'));
      selector.matchExpressions.slice(0, RULE_LIST_LIMIT).forEach((e, k) => {
        limit(problems, e.values.length, RULE_LIST_LIMIT, at(path, 'selector', name, 'match_expressions', k, 'values'));
      });
    }
  });
}

/** Every list longer than its limit, under `base`; empty when all fit. */
export function listLimitProblems(c: Configuration, base: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const counts: Record<keyof typeof ENVIRONMENT_LIST_LIMITS, number> = {
    no_proxy_configs: c.noProxyConfigs.length,
    ingress: c.ingress.length,
    egress: c.egress.length,
    tolerations: c.tolerations.length,
    node_selector: c.nodeSelector.length,
    control_plane_labels: c.controlPlaneLabels.length,
  };
  for (const [name, count] of Object.entries(counts)) {
    limit(problems, count, ENVIRONMENT_LIST_LIMITS[name as keyof typeof ENVIRONMENT_LIST_LIMITS], at(base, name));
  }
  if (problems.length > 0) return problems;
  c.ingress.forEach((rule, i) => ruleLimits(rule, at(base, 'ingress', i), problems));
  c.egress.forEach((rule, i) => ruleLimits(rule, at(base, 'egress', i), problems));
  return problems;
}
