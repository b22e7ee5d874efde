import * as z from 'zod';

/** intstr.IntOrString: a port number or name, a count or a percentage. */
export const IntOrString = z.union([z.int(), z.string()]).meta({ 'x-kubernetes-int-or-string': true });

/** A count or a percentage such as "25%", as PDBs and rolling updates take them. */
export const IntOrPercent = z
  .union([z.int().min(0, 'must not be negative'), z.string().regex(/^(100|[1-9]?[0-9])%$/, 'must be a whole number or a percentage such as "25%"')])
  .meta({ 'x-kubernetes-int-or-string': true });
