import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseRegion } from '@qhc/schemas';
import { buildInstallation, chartReference, componentImages, installationHash, releaseArtifacts, renderHelmInstall } from '../src/index.ts';
import { CREDENTIALS, TOKEN, region } from './installation-fixtures.ts';

describe('releaseArtifacts', () => {
  it('lists the images every installation references, the control plane and the chart', () => {
    expect(releaseArtifacts('1.2.3').map((a) => `${a.kind}:${a.name}:${a.tag}`)).toEqual([
      'image:qhc-operator:1.2.3',
      'image:qhc-agent:1.2.3',
      'image:qdrant-cloud-cluster-manager:1.2.3',
      'image:qhc-control-plane:1.2.3',
      'chart:qhc:1.2.3',
    ]);
  });

  it('tags images without a leading v, the cluster manager like the operator unless the settings pin it', () => {
    expect(releaseArtifacts('v2.0.0').map((a) => a.tag)).toEqual(['2.0.0', '2.0.0', '2.0.0', '2.0.0', '2.0.0']);
    const r = parseRegion(JSON.stringify({ name: 'a', namespace: 'b', agentVersion: 'v1.1.0', operatorVersion: 'v1.0.0' }));
    expect(componentImages(r)).toEqual({
      // The release's registry by default, not Qdrant's (which holds no qhc images).
      'qhc-operator': 'ghcr.io/qhc-dev/qhc-operator:1.0.0',
      'qhc-agent': 'ghcr.io/qhc-dev/qhc-agent:1.1.0',
      'qhc-cluster-manager': 'ghcr.io/qhc-dev/qdrant-cloud-cluster-manager:1.0.0',
    });
    // Every image of the installation is one of these.
    const images = JSON.stringify(buildInstallation(r, CREDENTIALS))
      .match(/"image":"[^"]+"/g)!
      .map((m) => m.slice(9, -1));
    expect(images.toSorted()).toEqual(Object.values(componentImages(r)).toSorted());
  });

  it('names the cluster manager image as the region settings do', () => {
    const r = parseRegion(
      JSON.stringify({
        name: 'a',
        namespace: 'b',
        agentVersion: '1.0.0',
        operatorVersion: '1.0.0',
        operatorSettings: { settings: { clusterManager: { image: { repository: 'acme/cm', tag: '7.0' } } } },
      }),
    );
    expect(releaseArtifacts('1.0.0', r.operatorSettings).find((a) => a.source === 'qhc-cluster-manager')).toMatchObject({ name: 'cm', tag: '7.0' });
  });
});

const input = (registry: string, charts: string) =>
  parseRegion(
    JSON.stringify({
      name: 'a',
      namespace: 'b',
      agentVersion: '1.0.0',
      operatorVersion: 'v1.0.0',
      advanced: { containerRegistryUrl: registry, chartRepositoryUrl: charts },
    }),
  );

describe('renderHelmInstall', () => {
  it('logs in to a chart repository on the registry host with the registry credentials, the password on stdin, and stamps the inputs', () => {
    const onMirror = parseRegion(
      JSON.stringify({
        ...region(),
        advanced: {
          ...region().advanced,
          containerRegistryUrl: 'http://mirror.internal:5000/qhc/',
          chartRepositoryUrl: 'oci://mirror.internal:5000/qhc/charts',
        },
      }),
    );
    const script = renderHelmInstall(onMirror, CREDENTIALS);
    const lines = script.split('\n');
    const login = lines.findIndex((l) => l.startsWith('helm registry login'));
    expect(lines[login]).toBe("helm registry login mirror.internal:5000 --plain-http --username robot --password-stdin <<'QHC_PASSWORD_END'");
    expect(lines.slice(login + 1, login + 3)).toEqual(['s3cret-pw', 'QHC_PASSWORD_END']);
    expect(login).toBeLessThan(lines.findIndex((l) => l.startsWith('helm upgrade')));
    for (const line of lines.filter((l) => /^(helm|kubectl)/.test(l))) expect(line).not.toContain('s3cret-pw');
    const values = parse(script.split("<<'QHC_VALUES_END'\n")[1]!.split('QHC_VALUES_END')[0]!) as { installationHash: string };
    expect(values.installationHash).toBe(installationHash(onMirror, CREDENTIALS.registry));
    expect(() => renderHelmInstall(onMirror, { ...CREDENTIALS, registry: { username: 'robot', password: 'two\nlines' } })).toThrow(/registry\.password/);
  });

  it('installs the chart from the region chart repository at the operator version, secrets on stdin only', () => {
    const script = renderHelmInstall(region(), CREDENTIALS);
    const command = script.split('\n').find((l) => l.startsWith('helm upgrade'))!;
    expect(command).toContain('oci://ghcr.io/qhc-dev/charts/qhc --version 2.15.0');
    expect(command).not.toContain('--plain-http');
    // The registry's credentials are for registry.example.com, not the chart's host: no login there.
    expect(script).not.toContain('helm registry login');
    for (const line of script.split('\n').filter((l) => /^(helm|kubectl|  --)/.test(l))) expect(line).not.toContain(TOKEN);
    const values = parse(script.split("<<'QHC_VALUES_END'\n")[1]!.split('QHC_VALUES_END')[0]!) as {
      region: Record<string, unknown>;
      credentials: { bootstrapToken: string };
    };
    expect(values.credentials.bootstrapToken).toBe(TOKEN);
    expect(values.region).not.toHaveProperty('namespace');
    expect(values.region.name).toBe('prod-eu');
    // Helm reads YAML 1.1: a region named "n" is written so that it stays a string.
    const n = renderHelmInstall(parseRegion(JSON.stringify({ name: 'n', namespace: 'on', agentVersion: '1.0.0', operatorVersion: '1.0.0' })), CREDENTIALS);
    expect(n).toContain('name: "n"');
  });

  it('quotes what it cannot trust for bash, and writes the control plane URL as the installation does', () => {
    const evil = "oci://r.example.com/c$(touch${IFS}/tmp/pwned)'x";
    // The schema refuses it (defence one); the renderer still quotes a region that got past it (defence two).
    expect(() => input('https://r.example.com/qdrant/', evil)).toThrow(/chartRepositoryUrl/);
    const valid = input('https://r.example.com/qdrant/', 'oci://r.example.com/c');
    const hostile = { ...valid, advanced: { ...valid.advanced, chartRepositoryUrl: evil } };
    const line = renderHelmInstall(hostile, CREDENTIALS)
      .split('\n')
      .find((l) => l.startsWith('helm upgrade'))!;
    expect(line).toContain("'oci://r.example.com/c$(touch${IFS}/tmp/pwned)'\\''x/qhc'");
    const values = parse(
      renderHelmInstall(hostile, { ...CREDENTIALS, controlPlaneUrl: 'https://QHC.example.com:443?x=1' })
        .split("<<'QHC_VALUES_END'\n")[1]!
        .split('QHC_VALUES_END')[0]!,
    ) as { credentials: { controlPlaneUrl: string } };
    expect(values.credentials.controlPlaneUrl).toBe('https://qhc.example.com/?x=1');
    expect(() => renderHelmInstall(hostile, { ...CREDENTIALS, controlPlaneUrl: 'http://qhc.example.com' })).toThrow(/controlPlaneUrl.*https/);
  });

  it('speaks plain HTTP only to a chart repository on the host of an http:// registry', () => {
    const mirror = input('http://10.0.0.5:5000/qhc/', 'oci://10.0.0.5:5000/qhc/charts');
    expect(chartReference(mirror)).toBe('oci://10.0.0.5:5000/qhc/charts/qhc');
    expect(renderHelmInstall(mirror, CREDENTIALS)).toContain('oci://10.0.0.5:5000/qhc/charts/qhc --version 1.0.0 --plain-http');
    expect(renderHelmInstall(input('http://10.0.0.5:5000/qhc/', 'oci://other.example.com/charts'), CREDENTIALS)).not.toContain('--plain-http');
    expect(renderHelmInstall(input('https://10.0.0.5:5000/qhc/', 'oci://10.0.0.5:5000/qhc/charts'), CREDENTIALS)).not.toContain('--plain-http');
  });
});
