import { describe, expect, it } from 'vitest';
import { AUDIT_RETENTION_BOUNDS, AUDIT_RETENTION_DEFAULT_SECONDS } from '../src/cloud/audit/retention.ts';
import { parseDurationSeconds } from '../src/duration.ts';

describe('--bootstrap-token-ttl', () => {
  it('takes seconds, minutes, hours and days within 1m to 30d, and names the flag otherwise', () => {
    expect(['3600', '90s', '30m', '24h', '7d'].map((t) => parseDurationSeconds('--bootstrap-token-ttl', t))).toEqual([3600, 90, 1800, 86_400, 604_800]);
    for (const bad of ['', 'abc', '-1h', '1.5h', '10s', '31d', '24 hours'])
      expect(() => parseDurationSeconds('--bootstrap-token-ttl', bad), bad).toThrow(/^--bootstrap-token-ttl: expected a duration from 1m to 30d/);
  });
});

describe('--audit-retention', () => {
  it('takes 1d to 3650d (default 90d), and names the flag and its range otherwise', () => {
    expect(['90d', '2160h', '1d', '3650d'].map((t) => parseDurationSeconds('--audit-retention', t, AUDIT_RETENTION_BOUNDS))).toEqual([
      AUDIT_RETENTION_DEFAULT_SECONDS,
      AUDIT_RETENTION_DEFAULT_SECONDS,
      86_400,
      3650 * 86_400,
    ]);
    for (const bad of ['5h', '3651d', 'forever'])
      expect(() => parseDurationSeconds('--audit-retention', bad, AUDIT_RETENTION_BOUNDS), bad).toThrow(
        /^--audit-retention: expected a duration from 1d to 3650d/,
      );
  });
});
