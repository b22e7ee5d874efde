import type { HandlerContext } from '@connectrpc/connect';
import { accountRegion } from '../../repositories/cloud-clusters.ts';
import { backupWarnings, warningHeaders } from '../../warnings.ts';
import type { CloudDeps } from '../context.ts';

/** As /api/v1 does: a backup or schedule in an environment that cannot take volume snapshots is told in a Warning header. */
export async function warnOfSnapshots(deps: CloudDeps, accountId: string, regionId: string, ctx: HandlerContext): Promise<void> {
  const region = await accountRegion(deps.db, accountId, regionId);
  const { warning } = warningHeaders(region ? backupWarnings(region) : []);
  if (warning) ctx.responseHeader.set('warning', warning);
}
