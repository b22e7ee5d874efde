export * from './core.ts';
export * from './int-or-string.ts';
export * from './meta.ts';
export * from './network-policy.ts';
export * from './policy.ts';
export * from './quantity.ts';
