// An account's company and billing information (qhc.v1 AccountBillingService).
import { fromJson } from '@bufbuild/protobuf';
import { qhcV1 } from '@qhc/cloud-api';
import { asJson, type Json } from '../cloud.ts';
import { CliError, EXIT } from '../exit.ts';
import type { Column } from '../output.ts';
import { cloudApi, type Global } from './region.ts';
import { showMessages, type Row } from './rows.ts';

/** The flags of `qhc account billing set`, named as BillingInformation's fields. */
export const BILLING_FIELDS = ['companyName', 'addressLine1', 'addressLine2', 'postalCode', 'city', 'country', 'taxId', 'billingEmail'] as const;
export type BillingFlags = Partial<Record<(typeof BILLING_FIELDS)[number], string>>;

const COLUMNS: Column<Row>[] = [
  { header: 'company', value: (r) => (r.companyName as string) || undefined },
  { header: 'tax id', value: (r) => (r.taxId as string) || undefined },
  { header: 'billing email', value: (r) => (r.billingEmail as string) || undefined },
  { header: 'address', value: (r) => [r.addressLine1, r.addressLine2, r.postalCode, r.city, r.country].filter(Boolean).join(', ') || undefined },
];
const show = (b: qhcV1.BillingInformation, g: Global) =>
  showMessages(qhcV1.BillingInformationSchema, b, { columns: COLUMNS, kind: 'billing', name: (r) => String(r.companyName) }, g);

export async function billingGet(g: Global): Promise<void> {
  const api = cloudApi(g);
  const answer = await api.call('GetBillingInformation', () => api.billing.getBillingInformation({ accountId: api.accountId }));
  await show(answer.billingInformation!, g);
}

/** The information as answered with only the fields the flags name. */
export async function billingSet(options: BillingFlags, g: Global): Promise<void> {
  const changed = Object.fromEntries(BILLING_FIELDS.filter((f) => options[f] !== undefined).map((f) => [f, options[f]!])) as Json;
  if (Object.keys(changed).length === 0)
    throw new CliError('nothing to change', { code: EXIT.usage, hint: 'name a field: --company-name, --tax-id, --billing-email, --address-line1, …' });
  const api = cloudApi(g);
  const current = await api.call('GetBillingInformation', () => api.billing.getBillingInformation({ accountId: api.accountId }));
  const billingInformation = fromJson(qhcV1.BillingInformationSchema, { ...asJson(qhcV1.BillingInformationSchema, current.billingInformation!), ...changed });
  const answer = await api.call('UpdateBillingInformation', () => api.billing.updateBillingInformation({ accountId: api.accountId, billingInformation }));
  await show(answer.billingInformation!, g);
}
