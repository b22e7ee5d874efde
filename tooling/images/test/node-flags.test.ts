import { describe, expect, it } from 'vitest';
import { APPS, nodeFlags, type ImageName } from '../src/index.ts';

describe('node flags of the images', () => {
  it("are each app's package.json qhc.nodeFlags: the operator's V8 memory flag, none for the others", () => {
    const flags = Object.fromEntries(Object.keys(APPS).map((app) => [app, nodeFlags(app as ImageName)]));
    expect(flags).toEqual({ 'qhc-operator': ['--optimize-for-size'], 'qhc-agent': [], 'qhc-control-plane': [], 'qhc-cluster-manager': [] });
  });
});
