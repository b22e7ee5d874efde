import { z } from 'zod';
import { normalEmail } from '../../repositories/users.ts';
import { invalid } from '../qhc/fields.ts';

// The account fields people type (sign-up, CreateAccount, UpdateAccount, invites), bounded.

export const ACCOUNT_NAME_MAX = 64;
const EMAIL = z.string().max(254).email();
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A lower-cased email, or InvalidArgument naming `field`. */
export function emailField(field: string, value: string): string {
  const email = normalEmail(value);
  if (email === '') throw invalid(field, 'missing');
  if (!EMAIL.safeParse(email).success) throw invalid(field, `${JSON.stringify(email.slice(0, 64))} is not an email address`);
  return email;
}

export function accountNameField(field: string, value: string): string {
  const name = value.trim();
  if (name === '') throw invalid(field, 'missing; name the account');
  if (name.length > ACCOUNT_NAME_MAX) throw invalid(field, `at most ${ACCOUNT_NAME_MAX} characters`);
  if (/\p{Cc}/u.test(name)) throw invalid(field, 'no control characters');
  return name;
}

/** A company's name (at most 200 characters) and optional domain (a host name, lower case). */
export function companyFields(field: string, company: { name: string; domain?: string } | undefined): { name: string | null; domain: string | null } {
  if (!company) return { name: null, domain: null };
  const name = company.name.trim();
  if (name.length > 200) throw invalid(`${field}.name`, 'at most 200 characters');
  const domain = (company.domain ?? '').trim().toLowerCase();
  if (domain !== '' && !DOMAIN.test(domain)) throw invalid(`${field}.domain`, `${JSON.stringify(domain.slice(0, 64))} is not a domain name (example.com)`);
  return { name: name || null, domain: domain || null };
}
