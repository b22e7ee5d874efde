import { z } from 'zod';
import { invalid } from '../qhc/fields.ts';

// An account's billing details: validated here, stored as JSON in accounts.billing.

// Two letters; the code list itself is the ISO's, and Intl knows it (an unknown code has no display name).
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const isCountryCode = (code: string) => /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== undefined;

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);

export const BillingSchema = z.object({
  companyName: text(200).min(1, 'missing; the company invoiced is required'),
  addressLine1: text(200),
  addressLine2: text(200),
  postalCode: text(20),
  city: text(100),
  country: z
    .string()
    .trim()
    .transform((c) => c.toUpperCase())
    .refine((c) => c === '' || isCountryCode(c), 'not an ISO 3166-1 alpha-2 country code (for example DE)'),
  taxId: text(50),
  billingEmail: text(254).email('not an email address'),
});
export type Billing = z.infer<typeof BillingSchema>;

const FIELD_NAMES: Record<keyof Billing, string> = {
  companyName: 'company_name',
  addressLine1: 'address_line1',
  addressLine2: 'address_line2',
  postalCode: 'postal_code',
  city: 'city',
  country: 'country',
  taxId: 'tax_id',
  billingEmail: 'billing_email',
};

/** The billing details of a request, or InvalidArgument naming the first bad field under `prefix`. */
export function billingOf(prefix: string, input: Partial<Billing> | undefined): Billing {
  if (!input) throw invalid(prefix, 'missing; the company name and billing email are required');
  const parsed = BillingSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path[0] as keyof Billing;
  throw invalid(`${prefix}.${FIELD_NAMES[key] ?? String(key)}`, issue.message);
}

const EMPTY: Billing = { companyName: '', addressLine1: '', addressLine2: '', postalCode: '', city: '', country: '', taxId: '', billingEmail: '' };

/** The stored JSON as billing details (an account from before sign-up has none: all empty). */
export function storedBilling(json: string | null): Billing {
  if (!json) return EMPTY;
  return { ...EMPTY, ...(JSON.parse(json) as Partial<Billing>) };
}
