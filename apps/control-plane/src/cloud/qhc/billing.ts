import { Code, ConnectError, type ServiceImpl } from '@connectrpc/connect';
import type { qhcV1 } from '@qhc/cloud-api';
import { accountById, updateAccount } from '../../repositories/accounts.ts';
import { toBilling } from '../account/access-messages.ts';
import { billingOf } from '../account/billing-info.ts';
import { callerOf, type CloudDeps } from '../context.ts';

// qhc.v1.AccountBillingService: an account's billing details (the interceptor checked the
// account is the caller's and the permission).

export function accountBillingService(deps: CloudDeps): Partial<ServiceImpl<typeof qhcV1.AccountBillingService>> {
  const billingJson = async (accountId: string) => {
    const row = await accountById(deps.db, accountId);
    if (!row) throw new ConnectError(`account ${accountId} not found`, Code.NotFound);
    return row.billing;
  };
  return {
    async getBillingInformation(_req, ctx) {
      return { billingInformation: toBilling(await billingJson(callerOf(ctx).accountId)) };
    },
    async updateBillingInformation(req, ctx) {
      const { accountId } = callerOf(ctx);
      const billing = billingOf('billing_information', req.billingInformation);
      await billingJson(accountId);
      await updateAccount(deps.db, accountId, { billing: JSON.stringify(billing) }, deps.now);
      return { billingInformation: toBilling(await billingJson(accountId)) };
    },
  };
}
