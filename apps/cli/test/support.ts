import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clusterSpecFixture } from '@qhc/schemas/test';

export const QHC = fileURLToPath(new URL('../dist/qhc.js', import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built binary as a subprocess, stdout piped (so never a terminal). */
export function qhc(args: string[], env: Record<string, string | undefined> = {}, cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QHC, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A region record as the control plane answers with it (@qhc/schemas' RegionRecord). */
export function regionRecord(name: string, namespace = name) {
  return { id: name, name, spec: { name, namespace, agentVersion: '0.1.0', operatorVersion: '0.1.0' }, revision: 1, createdAt: '', updatedAt: '' };
}

/** A cluster record as the control plane answers with it (@qhc/schemas' ClusterRecord: the spec without its id). */
export function clusterRecord(name: string, regionId: string) {
  const { id: _id, ...spec } = clusterSpecFixture(name, { version: 'v1.16.2' });
  return { id: name, regionId, name, spec, createdAt: '', updatedAt: '' };
}
