import * as z from 'zod';
import { LabelSelector } from './meta.ts';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function groups(part: string): string[] {
  return part === '' ? [] : part.split(':');
}

function isIpv6(address: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || address.split('::').length > 2) return false;
  const [head = '', tail] = address.split('::');
  const all = [...groups(head), ...(tail === undefined ? [] : groups(tail))];
  const last = all.at(-1);
  const hasV4 = last !== undefined && IPV4.test(last);
  const hex = hasV4 ? all.slice(0, -1) : all;
  if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hex.length + (hasV4 ? 2 : 0);
  return tail === undefined ? width === 8 : width < 8;
}

/** Why a string is not an IPv4/IPv6 CIDR, or undefined when it is one. */
export function checkCidr(value: string): string | undefined {
  const [address = '', prefix, ...rest] = value.split('/');
  if (prefix === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefix)) {
    return `must be a CIDR such as "10.0.0.0/8" or "fd00::/8", got ${JSON.stringify(value)}`;
  }
  const bits = Number(prefix);
  if (IPV4.test(address)) return bits <= 32 ? undefined : `has a prefix length of ${bits}; an IPv4 CIDR allows 0 to 32`;
  if (isIpv6(address)) return bits <= 128 ? undefined : `has a prefix length of ${bits}; an IPv6 CIDR allows 0 to 128`;
  return `must be a CIDR such as "10.0.0.0/8" or "fd00::/8": ${JSON.stringify(address)} is not an IP address`;
}

const Cidr = z.string().superRefine((value, ctx) => {
  const problem = checkCidr(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const IPBlock = z.strictObject({
  cidr: Cidr,
  except: z.array(Cidr).optional(),
});

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const NetworkPolicyPort = z
  .strictObject({
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).default('TCP'),
    port: z
      .union([
        z.int().min(1, 'must be a port from 1 to 65535').max(65535, 'must be a port from 1 to 65535'),
        z.string().max(15).regex(IANA_SVC_NAME, 'must be a port number or a named port such as "http"'),
      ])
      .meta({ 'x-kubernetes-int-or-string': true })
      .optional(),
    endPort: z.int().min(1).max(65535, 'must be a port from 1 to 65535').optional(),
  })
  .superRefine((p, ctx) => {
    if (p.endPort === undefined) return;
    if (typeof p.port !== 'number') {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: 'needs a numeric port to start the range' });
    } else if (p.endPort < p.port) {
      ctx.addIssue({ code: 'custom', path: ['endPort'], message: `must not be below port (${p.port})` });
    }
  });

export const NetworkPolicyPeer = z
  .strictObject({
    podSelector: LabelSelector.optional(),
    namespaceSelector: LabelSelector.optional(),
    ipBlock: IPBlock.optional(),
  })
  .superRefine((peer, ctx) => {
    if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
      ctx.addIssue({ code: 'custom', path: ['ipBlock'], message: 'must not be combined with podSelector or namespaceSelector in one peer' });
    }
    if (!peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) {
      ctx.addIssue({ code: 'custom', message: 'must set podSelector, namespaceSelector or ipBlock' });
    }
  });

export const NetworkPolicyIngressRule = z.strictObject({
  from: z.array(NetworkPolicyPeer).optional(),
  ports: z.array(NetworkPolicyPort).optional(),
});
export type NetworkPolicyIngressRule = z.infer<typeof NetworkPolicyIngressRule>;

export const NetworkPolicyEgressRule = z.strictObject({
  to: z.array(NetworkPolicyPeer).optional(),
  ports: z.array(NetworkPolicyPort).optional(),
});
export type NetworkPolicyEgressRule = z.infer<typeof NetworkPolicyEgressRule>;

