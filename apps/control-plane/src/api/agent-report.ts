import { AgentReport as AgentReportSchema, RegionHealth } from '@qhc/schemas';
import type * as z from 'zod';
import type { AgentReport as StoredReport } from '../repositories/status.ts';

// The report's contract (typed, bounded) is @qhc/schemas' AgentReport, shared with the agent.
export const AgentReport = AgentReportSchema;
export type AgentReport = StoredReport;

/**
 * A status report, with `health` kept only when it parses: a health this control plane cannot
 * read (an agent newer or older than it) is dropped with a warning, the rest recorded.
 */
export function parseAgentReport(
  body: unknown,
  warn: (message: string, fields: Record<string, unknown>) => void = () => undefined,
): { success: true; data: AgentReport } | { success: false; error: z.ZodError } {
  const parsed = AgentReport.safeParse(body);
  if (!parsed.success) return parsed;
  const { health, ...rest } = parsed.data;
  if (health === undefined) return { success: true, data: rest };
  const h = RegionHealth.safeParse(health);
  if (!h.success) {
    warn('status report: health dropped, it does not parse', { error: h.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    return { success: true, data: rest };
  }
  return { success: true, data: { ...rest, health: h.data } };
}
