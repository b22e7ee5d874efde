import { describe, expect, it } from 'vitest';
import { startOidcProvider } from '../src/index.ts';
import { ADA } from './support/users.ts';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startOidcProvider', () => {
  it('runs Hydra and the login app on 127.0.0.1 until stop() ends them', async () => {
    const provider = await startOidcProvider({ users: [ADA] });
    try {
      expect(isAlive(provider.hydraPid)).toBe(true);
      for (const url of [provider.issuer, provider.adminUrl, provider.loginAppUrl]) expect(new URL(url).hostname).toBe('127.0.0.1');
      expect((await fetch(`${provider.adminUrl}/health/ready`)).status).toBe(200);
    } finally {
      await provider.stop();
    }
    expect(isAlive(provider.hydraPid)).toBe(false);
    await expect(fetch(`${provider.adminUrl}/health/alive`)).rejects.toThrow('fetch failed');
    await expect(fetch(`${provider.loginAppUrl}/login`)).rejects.toThrow('fetch failed');
  });
});
