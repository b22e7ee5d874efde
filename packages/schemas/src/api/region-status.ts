import type * as z from 'zod';
import { AgentRegionStatus } from './agent-report.ts';
import { RegionHealth } from './region-health.ts';

/**
 * A region record's `status`: what its agent last reported, the region's own status with its
 * health. The record keeps it free-form (an agent of another release may report more or less);
 * readers parse it with this.
 */
export const RegionRecordStatus = AgentRegionStatus.partial().extend({ health: RegionHealth.optional() });
export type RegionRecordStatus = z.infer<typeof RegionRecordStatus>;

/**
 * The status as far as it parses: a health this release cannot read is left out rather than
 * costing the whole status, and a status that does not parse at all is undefined.
 */
export function regionStatusOf(status: unknown): RegionRecordStatus | undefined {
  if (status === undefined || status === null) return undefined;
  const whole = RegionRecordStatus.safeParse(status);
  if (whole.success) return whole.data;
  if (typeof status !== 'object') return undefined;
  const { health: _health, ...rest } = status as Record<string, unknown>;
  const withoutHealth = RegionRecordStatus.safeParse(rest);
  return withoutHealth.success ? withoutHealth.data : undefined;
}
