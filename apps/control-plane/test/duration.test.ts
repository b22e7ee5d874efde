import { describe, expect, it } from 'vitest';
import { parseDurationSeconds } from '../src/duration.ts';

describe('--bootstrap-token-ttl', () => {
  it('takes seconds, minutes, hours and days within 1m to 30d, and names the flag otherwise', () => {
    expect(['3600', '90s', '30m', '24h', '7d'].map((t) => parseDurationSeconds('--bootstrap-token-ttl', t))).toEqual([3600, 90, 1800, 86_400, 604_800]);
    for (const bad of ['', 'abc', '-1h', '1.5h', '10s', '31d', '24 hours'])
      expect(() => parseDurationSeconds('--bootstrap-token-ttl', bad), bad).toThrow(/^--bootstrap-token-ttl: expected a duration from 1m to 30d/);
  });
});
