import { OPERATOR_SETTINGS_CONDITION, regionStatusOf, type ClusterStatusReport, type RegionRecordStatus } from '@qhc/schemas';

/** A condition as the agent reports it. */
export type ReportedCondition = NonNullable<RegionRecordStatus['conditions']>[number];

// What the lists and detail pages show about a region's connection and a cluster's state,
// from what the agent reported (the control plane stores its reports as they came).

export interface RegionStatusView {
  connection: 'connected' | 'disconnected' | 'never';
  label: string;
  operatorVersion?: string;
  agentVersion?: string;
  phase?: string;
}

/** The agent reports every few seconds; two minutes of silence means it is gone. */
export const CONNECTED_WITHIN_MS = 120_000;

export function regionStatus(region: { lastSeenAt?: string; status?: unknown }, now = Date.now()): RegionStatusView {
  // Parsed with the report's contract, never cast: what does not parse is not shown.
  const status = regionStatusOf(region.status);
  const version = (name: string) => status?.components?.find((c) => c.name === name)?.version;
  const view = { operatorVersion: version('qhc-operator'), agentVersion: version('qhc-agent'), phase: status?.phase };
  if (!region.lastSeenAt) return { connection: 'never', label: 'Not connected yet', ...view };
  const ago = now - Date.parse(region.lastSeenAt);
  if (ago > CONNECTED_WITHIN_MS) return { connection: 'disconnected', label: `Disconnected (last seen ${formatAge(ago)} ago)`, ...view };
  return { connection: 'connected', label: 'Connected', ...view };
}

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

/** What the agent reported of a cluster, as the API gives it. */
export type ClusterStatusLike = Partial<ClusterStatusReport>;
