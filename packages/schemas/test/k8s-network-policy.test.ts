import { describe, expect, it } from 'vitest';
import {
  Cidr,
  IPBlock,
  IpAddressOrCidr,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  checkCidr,
  isStrictSubnet,
  parseCidr,
  parseIpAddress,
} from '../src/k8s/index.ts';
import { expectOnlyIssue, expectValid } from './zod-issues.ts';

describe('IP addresses and CIDRs', () => {
  it.each([
    ['10.0.0.1', [10, 0, 0, 1]],
    ['::1', [...Array<number>(15).fill(0), 1]],
    ['::', Array<number>(16).fill(0)],
    ['2001:db8::ff00:42:8329', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0x42, 0x83, 0x29]],
    ['::ffff:192.0.2.1', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]],
    ['1:2:3:4:5:6:7:8', [0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]],
  ])('%s parses', (address, bytes) => {
    expect(parseIpAddress(address)).toEqual(bytes);
  });

  it.each(['256.0.0.1', '10.0.0', '01.2.3.4x', '1:2:3:4:5:6:7:8:9', '1::2::3', '1:2:3:4:5:6:7::8', 'fe80::1%eth0', '1.2.3.4::', 'g::1', ''])(
    '%j is not an address',
    (address) => {
      expect(parseIpAddress(address)).toBeUndefined();
    },
  );

  it.each(['10.0.0.0/8', '0.0.0.0/0', '192.168.1.7/32', '::/0', 'fd00::/8', '2001:db8::/128'])('%s is a CIDR', (cidr) => {
    expect(checkCidr(cidr)).toBeUndefined();
    expectValid(Cidr, cidr);
  });

  it.each([
    ['10.0.0.0', /must be a CIDR such as "10.0.0.0\/8"/],
    ['10.0.0.0/33', /prefix length of 33; an IPv4 CIDR allows 0 to 32/],
    ['fd00::/129', /prefix length of 129; an IPv6 CIDR allows 0 to 128/],
    ['300.1.1.1/8', /"300.1.1.1" is not an IP address/],
    ['10.0.0.0/8/8', /must be a CIDR/],
    ['10.0.0.0/x', /must be a CIDR/],
  ])('%s is refused: %s', (cidr, message) => {
    expectOnlyIssue(Cidr, cidr, '', message);
  });

  it('accepts plain addresses where an address or a CIDR will do', () => {
    expectValid(IpAddressOrCidr, '192.0.2.10');
    expectValid(IpAddressOrCidr, '2001:db8::1');
    expectValid(IpAddressOrCidr, '10.0.0.0/8');
    expectOnlyIssue(IpAddressOrCidr, 'example.com', '', /must be an IP address or a CIDR/);
  });

  it('computes network addresses and strict subnets', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ network: [10, 0, 0, 0], prefixLength: 8 });
    const ten = parseCidr('10.0.0.0/8')!;
    expect(isStrictSubnet(parseCidr('10.1.0.0/16')!, ten)).toBe(true);
    expect(isStrictSubnet(parseCidr('10.0.0.0/8')!, ten)).toBe(false);
    expect(isStrictSubnet(parseCidr('11.0.0.0/16')!, ten)).toBe(false);
    expect(isStrictSubnet(parseCidr('fd00::/16')!, ten)).toBe(false);
    expect(isStrictSubnet(parseCidr('fd00:1::/32')!, parseCidr('fd00::/16')!)).toBe(true);
    expect(isStrictSubnet(parseCidr('10.0.0.128/25')!, parseCidr('10.0.0.0/25')!)).toBe(false);
  });
});

describe('IPBlock', () => {
  it('accepts except ranges inside the block', () => {
    expectValid(IPBlock, { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.4/32'] });
    expectValid(IPBlock, { cidr: 'fd00::/8', except: ['fd00:1::/32'] });
  });

  it.each([
    ['10.0.0.0/8', '192.168.0.0/16'],
    ['10.0.0.0/16', '10.0.0.0/8'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/8', 'fd00::/16'],
  ])('refuses cidr %s with except %s, which is not strictly inside', (cidr, except) => {
    expectOnlyIssue(IPBlock, { cidr, except: [except] }, 'except[0]', new RegExp(`must be a CIDR strictly inside cidr \\(${cidr}\\), got ${except}`));
  });

  it('reports a bad CIDR at the field that holds it', () => {
    expectOnlyIssue(IPBlock, { cidr: '10.0.0.0/8', except: ['10.0.0.0'] }, 'except[0]', /must be a CIDR/);
    expectOnlyIssue(IPBlock, { cidr: 'any' }, 'cidr', /must be a CIDR/);
  });
});

describe('NetworkPolicyPort', () => {
  it('defaults the protocol to TCP', () => {
    expect(NetworkPolicyPort.parse({ port: 6333 })).toEqual({ protocol: 'TCP', port: 6333 });
  });

  it('accepts numbers, names and ranges', () => {
    expectValid(NetworkPolicyPort, { protocol: 'UDP', port: 53 });
    expectValid(NetworkPolicyPort, { port: 'http' });
    expectValid(NetworkPolicyPort, { port: 'grpc-web2' });
    expectValid(NetworkPolicyPort, { protocol: 'SCTP', port: 6333, endPort: 6335 });
    expectValid(NetworkPolicyPort, { port: 6333, endPort: 6333 });
    expectValid(NetworkPolicyPort, {});
  });

  it.each([
    [{ port: 0 }, 'port', /1 to 65535/],
    [{ port: 65536 }, 'port', /1 to 65535/],
    [{ port: 'HTTP' }, 'port', /named port/],
    [{ port: '8080' }, 'port', /named port/],
    [{ port: 'a--b' }, 'port', /named port/],
    [{ port: '-http' }, 'port', /named port/],
    [{ port: 'a-very-long-port-name' }, 'port', /1 to 15 characters/],
    [{ protocol: 'HTTP' }, 'protocol', /"TCP"|TCP/],
    [{ port: 6335, endPort: 6333 }, 'endPort', /must not be below port \(6335\)/],
    [{ port: 'http', endPort: 90 }, 'endPort', /numeric port/],
    [{ endPort: 90 }, 'endPort', /numeric port/],
    [{ port: 1, endPort: 70000 }, 'endPort', /1 to 65535/],
  ] as const)('refuses %j', (port, path, message) => {
    expectOnlyIssue(NetworkPolicyPort, port, path, message);
  });
});

describe('NetworkPolicyPeer and rules', () => {
  it('accepts selectors together, or an ipBlock alone', () => {
    expectValid(NetworkPolicyPeer, { podSelector: { matchLabels: { app: 'qdrant' } }, namespaceSelector: {} });
    expectValid(NetworkPolicyPeer, { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } });
  });

  it('refuses ipBlock with a selector, and an empty peer', () => {
    expectOnlyIssue(NetworkPolicyPeer, { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }, 'ipBlock', /must not be combined/);
    expectOnlyIssue(NetworkPolicyPeer, {}, '', /must set podSelector, namespaceSelector or ipBlock/);
  });

  it('validates peers and ports inside rules at their index', () => {
    expectValid(NetworkPolicyIngressRule, { from: [{ podSelector: {} }], ports: [{ port: 6335 }] });
    expectValid(NetworkPolicyEgressRule, {});
    expectOnlyIssue(NetworkPolicyIngressRule, { from: [{ podSelector: {} }, { ipBlock: { cidr: 'x' } }] }, 'from[1].ipBlock.cidr', /CIDR/);
    expectOnlyIssue(
      NetworkPolicyEgressRule,
      { to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }, { port: 0 }] },
      'ports[1].port',
      /65535/,
    );
  });
});
