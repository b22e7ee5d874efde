import { describe, expect, it } from 'vitest';
import { Region } from '../src/index.ts';

// Issue 19 finding 7: region URLs become image references, chart pulls and proxy variables;
// only what those can be is accepted.

const region = (advanced: Record<string, unknown>) => ({ name: 'r1', namespace: 'qdrant', agentVersion: '1.0.0', operatorVersion: '1.0.0', advanced });
const issuePaths = (advanced: Record<string, unknown>) => (Region.safeParse(region(advanced)).error?.issues ?? []).map((i) => i.path.join('.'));

const hostile = ['$(id)', '`id`', '"', "'", ' x', '?a=b', '#frag'];

describe('region URLs', () => {
  it.each([
    [
      'containerRegistryUrl',
      ['https://registry.example.com/qdrant/', 'http://10.0.0.5:5000/qhc/', 'https://registry.corp:5000/qhc', 'https://[fd00::1]:5000/a/b_c/'],
    ],
    ['chartRepositoryUrl', ['oci://ghcr.io/qhc-dev/charts', 'oci://10.0.0.5:5000/charts', 'https://charts.example.com/Stable~1/']],
  ])('%s takes what an image or chart reference can be', (field, good) => {
    for (const url of good) expect(issuePaths({ [field]: url }), url).toEqual([]);
  });

  it.each(['containerRegistryUrl', 'chartRepositoryUrl'])('%s refuses $(…), backticks, quotes, spaces, queries', (field) => {
    for (const bad of hostile) expect(issuePaths({ [field]: `https://registry.example.com/qdrant/${bad}` }), bad).toEqual([`advanced.${field}`]);
    expect(issuePaths({ [field]: 'https://reg$(id).example.com/' })).toEqual([`advanced.${field}`]);
    expect(issuePaths({ [field]: 'ftp://registry.example.com/' })).toEqual([`advanced.${field}`]);
    expect(issuePaths({ [field]: 'https://registry.example.com:99999/' })).toEqual([`advanced.${field}`]);
  });

  it('refuses an upper-case image path (not a valid image reference)', () => {
    expect(issuePaths({ containerRegistryUrl: 'https://registry.example.com/Qdrant/' })).toEqual(['advanced.containerRegistryUrl']);
  });

  it('takes a proxy as scheme, credentials, host and port only', () => {
    for (const url of ['http://proxy.internal:3128', 'https://user:p%40ss@proxy:8443/', 'http://10.0.0.1:3128']) {
      expect(issuePaths({ proxy: { httpsProxy: url } }), url).toEqual([]);
    }
    for (const bad of [
      'http://proxy:3128/$(id)',
      'http://`id`:3128',
      'http://"proxy":3128',
      "http://u:p'x@proxy:1",
      'socks://proxy:1080',
      'http://proxy:3128/path',
    ]) {
      expect(issuePaths({ proxy: { httpsProxy: bad, httpProxy: bad } }), bad).toEqual(['advanced.proxy.httpProxy', 'advanced.proxy.httpsProxy']);
    }
  });
});
