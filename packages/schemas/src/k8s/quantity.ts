import * as z from 'zod';

// resource.Quantity as Kubernetes parses it: a signed decimal number, then either an
// exponent (1e3, 5E-2), a decimal SI suffix (n u m "" k M G T P E) or a binary one (Ki … Ei).
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const MULTIPLIERS: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function isQuantity(value: string | number): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return QUANTITY.test(value);
}

/** The value of a quantity in base units: "100m" → 0.1, "1Gi" → 1073741824, 2 → 2. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a quantity: ${value}`);
    return value;
  }
  const match = QUANTITY.exec(value);
  if (!match) throw new RangeError(`not a quantity: ${JSON.stringify(value)}`);
  const [, sign, digits, exponent, suffix = ''] = match;
  const magnitude = Number(digits) * (exponent ? 10 ** Number(exponent.slice(1)) : MULTIPLIERS[suffix]!);
  return sign === '-' ? -magnitude : magnitude;
}

const QUANTITY_MESSAGE = 'must be a Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G"';

function quantitySchema(nonNegative: boolean) {
  const base = z.union([z.string().regex(QUANTITY, QUANTITY_MESSAGE), z.number().refine(Number.isFinite, QUANTITY_MESSAGE)]);
  const checked = nonNegative ? base.refine((q) => !isQuantity(q) || parseQuantity(q) >= 0, 'must not be negative') : base;
  // .meta() last: zod keeps metadata on the instance it is called on.
  return checked.meta({ 'x-kubernetes-int-or-string': true, description: 'A Kubernetes quantity such as "500m", "2", "4Gi" or "1.5G".' });
}

/** A resource quantity (string or number), as `resources.requests.memory: 4Gi`. */
export const Quantity = quantitySchema(false);

/** A quantity that must not be negative (sizes, cpu, memory). */
export const NonNegativeQuantity = quantitySchema(true);
