import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
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

export interface StubAnswer {
  status: number;
  body: unknown;
}

/**
 * A stand-in control plane on 127.0.0.1: `answer` says what each request gets (404 when it
 * returns nothing); it is given the request's JSON body, when there is one.
 */
export async function stubControlPlane(
  answer: (req: IncomingMessage, url: URL, body?: unknown) => StubAnswer | undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const body: unknown = text ? JSON.parse(text) : undefined;
      const found = answer(req, new URL(req.url!, 'http://127.0.0.1'), body) ?? {
        status: 404,
        body: { error: 'NotFound', message: `no such path: ${req.url}` },
      };
      res.writeHead(found.status, { 'content-type': 'application/json' }).end(JSON.stringify(found.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
