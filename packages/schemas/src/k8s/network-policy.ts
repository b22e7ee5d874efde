import * as z from 'zod';
import { LabelSelector } from './meta.ts';

// networking.k8s.io/v1 NetworkPolicy rules with the checks of Kubernetes' own validation
// (ValidateIPBlock, ValidateNetworkPolicyPort, ValidateNetworkPolicyPeer).

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4Bytes(address: string): number[] | undefined {
  return IPV4.test(address) ? address.split('.').map(Number) : undefined;
}

/** Bytes of colon-separated hex groups, optionally ending in a dotted IPv4 address. */
function groupBytes(part: string, allowTrailingV4: boolean): number[] | undefined {
  if (part === '') return [];
  const groups = part.split(':');
  const bytes: number[] = [];
  for (const [index, group] of groups.entries()) {
    if (allowTrailingV4 && index === groups.length - 1 && group.includes('.')) {
      const v4 = ipv4Bytes(group);
      if (!v4) return undefined;
      bytes.push(...v4);
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) {
      const value = Number.parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    } else {
      return undefined;
    }
  }
  return bytes;
}

function ipv6Bytes(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  if (halves.length === 1) {
    const bytes = groupBytes(address, true);
    return bytes?.length === 16 ? bytes : undefined;
  }
  const head = groupBytes(halves[0]!, false);
  const tail = groupBytes(halves[1]!, true);
  if (!head || !tail) return undefined;
  // "::" stands for at least one group of zeros.
  const gap = 16 - head.length - tail.length;
  return gap >= 2 ? [...head, ...Array<number>(gap).fill(0), ...tail] : undefined;
}

/** The bytes of an IPv4 (4) or IPv6 (16) address, or undefined when it is not one. */
export function parseIpAddress(address: string): number[] | undefined {
  return ipv4Bytes(address) ?? ipv6Bytes(address);
}

export interface ParsedCidr {
  /** The network address, host bits cleared (what Go's net.ParseCIDR returns). */
  network: number[];
  prefixLength: number;
}

function maskBytes(bytes: number[], prefixLength: number): number[] {
  return bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefixLength - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

/** Why a string is not an IPv4/IPv6 CIDR, or undefined when it is one. */
export function checkCidr(value: string): string | undefined {
  const [address = '', prefix, ...rest] = value.split('/');
  if (prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) {
    return `must be a CIDR such as "10.0.0.0/8" or "fd00::/8", got ${JSON.stringify(value)}`;
  }
  const bits = Number(prefix);
  const bytes = parseIpAddress(address);
  if (!bytes) return `must be a CIDR such as "10.0.0.0/8" or "fd00::/8": ${JSON.stringify(address)} is not an IP address`;
  const family = bytes.length === 4 ? { name: 'IPv4', max: 32 } : { name: 'IPv6', max: 128 };
  return bits <= family.max ? undefined : `has a prefix length of ${bits}; an ${family.name} CIDR allows 0 to ${family.max}`;
}

export function parseCidr(value: string): ParsedCidr | undefined {
  if (checkCidr(value) !== undefined) return undefined;
  const [address = '', prefix = ''] = value.split('/');
  const prefixLength = Number(prefix);
  return { network: maskBytes(parseIpAddress(address)!, prefixLength), prefixLength };
}

/** Whether `inner` is a strict subset of `outer` (same family, longer prefix, inside it). */
export function isStrictSubnet(inner: ParsedCidr, outer: ParsedCidr): boolean {
  if (inner.network.length !== outer.network.length || inner.prefixLength <= outer.prefixLength) return false;
  const masked = maskBytes(inner.network, outer.prefixLength);
  return masked.every((byte, i) => byte === outer.network[i]);
}

export const Cidr = z.string().superRefine((value, ctx) => {
  const problem = checkCidr(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** An IP address or a CIDR, as source ranges of ingress controllers accept them. */
export const IpAddressOrCidr = z.string().superRefine((value, ctx) => {
  if (!value.includes('/') && parseIpAddress(value)) return;
  const problem = checkCidr(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.replace('must be a CIDR', 'must be an IP address or a CIDR') });
});

export const IPBlock = z.strictObject({ cidr: Cidr, except: z.array(Cidr).optional() }).superRefine((block, ctx) => {
  const outer = parseCidr(block.cidr);
  if (!outer) return;
  for (const [index, value] of (block.except ?? []).entries()) {
    const inner = parseCidr(value);
    if (inner && !isStrictSubnet(inner, outer)) {
      ctx.addIssue({ code: 'custom', path: ['except', index], message: `must be a CIDR strictly inside cidr (${block.cidr}), got ${value}` });
    }
  }
});
export type IPBlock = z.infer<typeof IPBlock>;

/** Why a name is not Kubernetes' IANA_SVC_NAME (a named port), or undefined when it is one. */
export function checkNamedPort(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return 'must be a named port of 1 to 15 characters';
  const valid = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
  return valid ? undefined : 'must be a port number or a named port such as "http" (a-z, 0-9 and single "-", with a letter)';
}

export const NamedPort = z.string().superRefine((name, ctx) => {
  const problem = checkNamedPort(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const PortNumber = z.int().min(1, 'must be a port from 1 to 65535').max(65535, 'must be a port from 1 to 65535');

export const NetworkPolicyPort = z
  .strictObject({
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
    port: z.union([PortNumber, NamedPort]).meta({ 'x-kubernetes-int-or-string': true }).optional(),
    endPort: PortNumber.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.endPort === undefined) return;
    if (typeof p.port !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'needs a numeric port to start the range' });
    } else if (p.endPort < p.port) {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: `must not be below port (${p.port})` });
    }
  });
export type NetworkPolicyPort = z.infer<typeof NetworkPolicyPort>;

export const NetworkPolicyPeer = z
  .strictObject({ podSelector: LabelSelector.optional(), namespaceSelector: LabelSelector.optional(), ipBlock: IPBlock.optional() })
  .superRefine((peer, ctx) => {
    if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
      ctx.addIssue({ code: 'custom', path: ['ipBlock'], message: 'must not be combined with podSelector or namespaceSelector in one peer' });
    }
    if (!peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) {
      ctx.addIssue({ code: 'custom', message: 'must set podSelector, namespaceSelector or ipBlock' });
    }
  });
export type NetworkPolicyPeer = z.infer<typeof NetworkPolicyPeer>;

export const NetworkPolicyIngressRule = z.strictObject({ from: z.array(NetworkPolicyPeer).optional(), ports: z.array(NetworkPolicyPort).optional() });
export type NetworkPolicyIngressRule = z.infer<typeof NetworkPolicyIngressRule>;

export const NetworkPolicyEgressRule = z.strictObject({ to: z.array(NetworkPolicyPeer).optional(), ports: z.array(NetworkPolicyPort).optional() });
export type NetworkPolicyEgressRule = z.infer<typeof NetworkPolicyEgressRule>;
