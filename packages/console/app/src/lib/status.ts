import type { DescEnum } from '@bufbuild/protobuf';
import { OPERATOR_SETTINGS_CONDITION, regionStatusOf, type RegionRecordStatus } from '@qhc/schemas';

/** A condition as the agent reports it. */
export type ReportedCondition = NonNullable<RegionRecordStatus['conditions']>[number];

// What the lists and detail pages show about an environment's connection and a cluster's
// state, from what the API reports (the agent's reports, as the control plane stored them).

/**
 * Whether the operator runs the settings file it was given, as the agent reported it (the
 * region condition OperatorSettingsValid); undefined before an operator has said.
 */
export function operatorSettingsCondition(region: { status?: unknown }): ReportedCondition | undefined {
  return regionStatusOf(region.status)?.conditions?.find((c) => c.type === OPERATOR_SETTINGS_CONDITION);
}

/** "3s", "5m", "2h", "4d". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** When an installation command's one-time token stops working, for the page that shows it. */
export function installExpiry(expiresAt: string, now = Date.now()): string {
  const at = new Date(expiresAt);
  return `Its token expires at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC (in ${formatAge(at.getTime() - now)}); after that, generate a new command.`;
}

const parts = (v: string) => v.replace(/^v/, '').split(/[-+]/)[0]!.split('.').map(Number);

/** Semantic-version order of the release parts; pre-releases count as their release. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export const upgradeAvailable = (current: string, latest: string) => compareVersions(current, latest) < 0;

export type Tone = 'good' | 'busy' | 'bad' | 'neutral';

/** Our phases: "…ing" is in progress, "FailedTo…" failed (as upstream's operator names them). */
export function phaseTone(phase: string | undefined): Tone {
  if (!phase) return 'neutral';
  if (phase === 'Healthy' || phase === 'Succeeded' || phase === 'Ready' || phase === 'Active') return 'good';
  if (phase.startsWith('FailedTo') || phase === 'Failed' || phase === 'NotReady' || phase === 'RecoveryMode') return 'bad';
  if (phase.endsWith('ing') || phase === 'Pending') return 'busy';
  return 'neutral';
}

/** A proto enum value's name without its type's prefix (protobuf-es's localName). */
export const enumName = (schema: DescEnum, value: number | undefined): string | undefined =>
  value === undefined ? undefined : schema.values.find((v) => v.number === value)?.localName;

/** A proto enum value in the operator's words: CLUSTER_PHASE_FAILED_TO_CREATE → FailedToCreate; unspecified → undefined. */
export function enumLabel(schema: DescEnum, value: number | undefined): string | undefined {
  const bare = enumName(schema, value);
  if (!bare || bare === 'UNSPECIFIED') return undefined;
  return bare
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export interface EnvironmentStatusView {
  /** For the badge's tone: Ready, NotReady, or undefined before the agent reported. */
  value: 'Ready' | 'NotReady' | undefined;
  label: string;
  agentVersion?: string;
  operatorVersion?: string;
}

/** An environment's phase as the API reports it (from its agent's reports), in the console's words. */
export function environmentStatusView(
  status: { phase: number; message?: string; componentStatuses: Array<{ name: string; version?: string }> } | undefined,
  phaseName: (phase: number) => string | undefined,
): EnvironmentStatusView {
  const version = (name: string) => status?.componentStatuses.find((c) => c.name === name)?.version;
  const versions = { agentVersion: version('qhc-agent'), operatorVersion: version('qhc-operator') };
  const phase = status ? phaseName(status.phase) : undefined;
  if (phase === 'READY') return { value: 'Ready', label: 'Connected', ...versions };
  if (phase === 'NOT_READY') return { value: 'NotReady', label: `Connected, not ready${status?.message ? `: ${status.message}` : ''}`, ...versions };
  if (phase === 'FAILED_TO_SYNC') return { value: 'NotReady', label: `Disconnected (${status?.message ?? 'no report'})`, ...versions };
  return { value: undefined, label: 'Not connected yet', ...versions };
}
