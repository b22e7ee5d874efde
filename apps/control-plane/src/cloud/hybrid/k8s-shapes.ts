import type { clusterV1, commonV1 } from '@qhc/cloud-api';
import { TolerationEffect, TolerationOperator } from './enums.ts';
import { at, type FieldProblem } from './problems.ts';

// The Kubernetes shapes the API's messages stand for (tolerations, label maps, network policy
// rules), as @qhc/schemas takes them. Only what the schemas cannot see is checked here (unset
// oneofs, enum numbers this release does not know, repeated keys); the schemas check the values.

type Problems = FieldProblem[];

const TOLERATION_OPERATORS: Record<number, string | undefined> = {
  [TolerationOperator.UNSPECIFIED!]: undefined,
  [TolerationOperator.EXISTS!]: 'Exists',
  [TolerationOperator.EQUAL!]: 'Equal',
};
const TOLERATION_EFFECTS: Record<number, string | undefined> = {
  [TolerationEffect.UNSPECIFIED!]: undefined,
  [TolerationEffect.NO_SCHEDULE!]: 'NoSchedule',
  [TolerationEffect.PREFER_NO_SCHEDULE!]: 'PreferNoSchedule',
  [TolerationEffect.NO_EXECUTE!]: 'NoExecute',
};

/** An enum field's Kubernetes word; a number this release does not know is a problem. */
function enumWord(table: Record<number, string | undefined>, value: number | undefined, path: string, problems: Problems): string | undefined {
  if (value === undefined) return undefined;
  if (!(value in table)) problems.push({ path, message: `unknown value ${value}` });
  return table[value];
}

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export function tolerationsOf(items: readonly clusterV1.Toleration[], base: string, problems: Problems): Record<string, unknown>[] {
  return items.map((t, i) => {
    const seconds = t.tolerationSeconds;
    if (seconds !== undefined && seconds > BigInt(Number.MAX_SAFE_INTEGER))
      problems.push({ path: at(base, i, 'toleration_seconds'), message: `must be at most ${Number.MAX_SAFE_INTEGER}` });
    return defined({
      key: t.key,
      operator: enumWord(TOLERATION_OPERATORS, t.operator, at(base, i, 'operator'), problems),
      value: t.value,
      effect: enumWord(TOLERATION_EFFECTS, t.effect, at(base, i, 'effect'), problems),
      tolerationSeconds: seconds === undefined ? undefined : Number(seconds),
    });
  });
}

/** key/value pairs as a map; a key given twice is a problem (a map keeps one). */
export function mapOf(items: readonly commonV1.KeyValue[], base: string, problems: Problems): Record<string, string> {
  const map: Record<string, string> = {};
  items.forEach((kv, i) => {
    if (Object.hasOwn(map, kv.key)) problems.push({ path: at(base, i, 'key'), message: `${JSON.stringify(kv.key)} is given more than once` });
    map[kv.key] = kv.value;
  });
  return map;
}

function selectorOf(selector: commonV1.LabelSelector, base: string, problems: Problems): Record<string, unknown> {
  return defined({
    matchLabels: selector.matchLabels.length > 0 ? mapOf(selector.matchLabels, at(base, 'match_labels'), problems) : undefined,
    matchExpressions:
      selector.matchExpressions.length > 0
        ? selector.matchExpressions.map((e) => defined({ key: e.key, operator: e.operator, values: e.values.length > 0 ? [...e.values] : undefined }))
        : undefined,
  });
}

function peerOf(peer: commonV1.NetworkPolicyPeer, base: string, problems: Problems): Record<string, unknown> {
  const type = peer.peerType;
  if (type.case === 'ipBlock')
    return { ipBlock: defined({ cidr: type.value.cidr, except: type.value.except.length > 0 ? [...type.value.except] : undefined }) };
  if (type.case === 'selector') {
    const { podSelector, namespaceSelector } = type.value;
    if (!podSelector && !namespaceSelector) problems.push({ path: at(base, 'selector'), message: 'set pod_selector, namespace_selector or both' });
    return defined({
      podSelector: podSelector && selectorOf(podSelector, at(base, 'selector', 'pod_selector'), problems),
      namespaceSelector: namespaceSelector && selectorOf(namespaceSelector, at(base, 'selector', 'namespace_selector'), problems),
    });
  }
  problems.push({ path: base, message: 'set selector or ip_block' });
  return {};
}

function portOf(port: commonV1.NetworkPolicyPort, base: string, problems: Problems): Record<string, unknown> {
  const spec = port.portSpec;
  const outOfRange = spec.case === 'portNumber' && (spec.value < 1 || spec.value > 65535);
  if (outOfRange) problems.push({ path: at(base, 'port_number'), message: `must be a port from 1 to 65535, got ${spec.value}` });
  // Told once: the schema would tell it again as a port name.
  return defined({ protocol: port.protocol, port: outOfRange ? undefined : spec.value, endPort: port.endPort });
}

type Rule = commonV1.NetworkPolicyIngressRule | commonV1.NetworkPolicyEgressRule;

/** Network policy rules as the operator settings hold them (`from` for ingress, `to` for egress). */
export function rulesOf(rules: readonly Rule[], base: string, problems: Problems): Record<string, unknown>[] {
  return rules.map((rule, i) => {
    const side = 'from' in rule ? 'from' : 'to';
    const peers = 'from' in rule ? rule.from : rule.to;
    return defined({
      ports: rule.ports.length > 0 ? rule.ports.map((p, j) => portOf(p, at(base, i, 'ports', j), problems)) : undefined,
      [side]: peers.length > 0 ? peers.map((p, j) => peerOf(p, at(base, i, side, j), problems)) : undefined,
    });
  });
}

const SNAKE: Record<string, string> = {
  podSelector: 'selector.pod_selector',
  namespaceSelector: 'selector.namespace_selector',
  ipBlock: 'ip_block',
  // Port numbers are checked above: what the schema refuses is a port name.
  port: 'port_name',
};

/** A path inside a Kubernetes shape named as the message's fields are. */
export function protoPathInside(base: string, path: ReadonlyArray<PropertyKey>): string {
  return at(
    base,
    ...path.map((part) => (typeof part === 'number' ? part : (SNAKE[String(part)] ?? String(part).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)))),
  );
}
