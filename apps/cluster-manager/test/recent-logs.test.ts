import { parseOperatorSettings } from '@qhc/schemas';
import { describe, expect, it } from 'vitest';
import { settingsLogger } from '../src/recent-logs.ts';

const clusterManager = (yaml: string) => parseOperatorSettings(`settings:\n  clusterManager:\n${yaml}`).settings.clusterManager;

describe("the settings' clusterManager block drives the cluster manager's logs", () => {
  it('logSize is how many recent lines GET /v1/logs keeps', () => {
    const { logger, recent } = settingsLogger(clusterManager('    logSize: 3\n'), () => {});
    for (let i = 0; i < 5; i++) logger.info(`line ${i}`);
    expect(recent().map((l) => JSON.parse(l).msg)).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('debug turns on debug lines, off by default', () => {
    const quiet: string[] = [];
    settingsLogger(clusterManager('    logSize: 10\n'), (l) => quiet.push(l)).logger.debug('detail');
    expect(quiet).toEqual([]);
    const loud: string[] = [];
    settingsLogger(clusterManager('    debug: true\n'), (l) => loud.push(l)).logger.debug('detail');
    expect(loud.map((l) => JSON.parse(l).msg)).toEqual(['detail']);
  });
});
