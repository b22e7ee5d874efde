import type { MessageInitShape } from '@bufbuild/protobuf';
import type { qhcV1 } from '@qhc/cloud-api';

// The account forms (sign-up, settings) as plain strings, and the messages they become.

/** AccountStatus values (qhc.v1), by number: the shell needs them before the API's descriptors load. */
export const ACCOUNT_STATUS = { UNSPECIFIED: 0, PENDING: 1, APPROVED: 2, REJECTED: 3 } as const;

export const accountStatusLabel = (status: number | undefined): string =>
  status === ACCOUNT_STATUS.PENDING
    ? 'Pending approval'
    : status === ACCOUNT_STATUS.REJECTED
      ? 'Rejected'
      : status === ACCOUNT_STATUS.APPROVED
        ? 'Approved'
        : 'Unknown';

export interface BillingForm {
  companyName: string;
  addressLine1: string;
  addressLine2: string;
  postalCode: string;
  city: string;
  country: string;
  taxId: string;
  billingEmail: string;
}

export const emptyBilling: BillingForm = {
  companyName: '',
  addressLine1: '',
  addressLine2: '',
  postalCode: '',
  city: '',
  country: '',
  taxId: '',
  billingEmail: '',
};

export const BILLING_FIELDS: ReadonlyArray<readonly [keyof BillingForm, string, string?]> = [
  ['companyName', 'Company name (invoiced)'],
  ['addressLine1', 'Address line 1'],
  ['addressLine2', 'Address line 2', 'Optional'],
  ['postalCode', 'Postal code'],
  ['city', 'City'],
  ['country', 'Country', 'ISO 3166-1 alpha-2 code, e.g. DE'],
  ['taxId', 'Tax ID / VAT number', 'Optional'],
  ['billingEmail', 'Billing email'],
];

export type BillingInit = MessageInitShape<typeof qhcV1.BillingInformationSchema>;

/** The form as BillingInformation: trimmed, the country in capitals. */
export function billingFromForm(form: BillingForm): BillingInit {
  const t = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.trim()])) as unknown as BillingForm;
  return { ...t, country: t.country.toUpperCase() };
}

/** A stored BillingInformation as the form shows it. */
export const formFromBilling = (b: Partial<BillingForm> | undefined): BillingForm => ({ ...emptyBilling, ...pick(b) });

const pick = (b: Partial<BillingForm> | undefined) =>
  Object.fromEntries(Object.keys(emptyBilling).map((k) => [k, (b?.[k as keyof BillingForm] as string | undefined) ?? ''])) as unknown as BillingForm;

export interface SignUpForm {
  email: string;
  password: string;
  accountName: string;
  companyName: string;
  companyDomain: string;
  billing: BillingForm;
}

export const emptySignUp: SignUpForm = { email: '', password: '', accountName: '', companyName: '', companyDomain: '', billing: emptyBilling };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * What the form can tell before asking the server (which checks again and has the last word):
 * the password rule (12 to 256 characters, not the email), the emails' syntax, the country code.
 */
export function signUpProblems(form: SignUpForm): string[] {
  const problems: string[] = [];
  if (!EMAIL.test(form.email.trim())) problems.push('email: must be an email address');
  if (form.password.length < 12 || form.password.length > 256) problems.push('password: must have 12 to 256 characters');
  else if (form.password.trim().toLowerCase() === form.email.trim().toLowerCase()) problems.push('password: must not be the email');
  if (!form.accountName.trim()) problems.push('account name: required');
  return [...problems, ...billingProblems(form.billing)];
}

export function billingProblems(b: BillingForm): string[] {
  const problems: string[] = [];
  if (!b.companyName.trim()) problems.push('billing company name: required');
  if (!EMAIL.test(b.billingEmail.trim())) problems.push('billing email: must be an email address');
  if (b.country.trim() && !/^[A-Za-z]{2}$/.test(b.country.trim())) problems.push('country: must be a two-letter ISO 3166-1 code, e.g. DE');
  return problems;
}

/** The form as SignUpRequest. */
export function signUpRequest(form: SignUpForm): MessageInitShape<typeof qhcV1.SignUpRequestSchema> {
  const domain = form.companyDomain.trim();
  return {
    email: form.email.trim(),
    password: form.password,
    accountName: form.accountName.trim(),
    company: { name: form.companyName.trim() || form.billing.companyName.trim(), ...(domain ? { domain } : {}) },
    billingInformation: billingFromForm(form.billing),
  };
}
