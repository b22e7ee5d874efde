import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startSandbox, type Sandbox } from './sandbox.ts';
import { realNodeRoutes, type RealNodeRoutes } from './real-node-routes.ts';

/** What test files receive through `inject('qhcSandbox')`. */
export interface ProvidedSandbox {
  kubeconfigPath: string;
  server: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** POST /restart-apiserver or /restart-etcd here (tests run in workers; the sandbox lives here). */
  controlUrl: string;
  /** The components' logs; quoted when a test fails. */
  logsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    qhcSandbox: ProvidedSandbox;
  }
}

/**
 * vitest globalSetup: one sandbox for the whole test run of a package; each test file
 * works in a namespace of its own (see useSandboxNamespace in ./vitest.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // QHC_SANDBOX_KEEP=1 keeps the work folder (logs, PKI, etcd data) after the run.
  const sandbox = await startSandbox({ log: (line) => process.stderr.write(`[kube-sandbox] ${line}\n`), keepWorkDir: process.env.QHC_SANDBOX_KEEP === '1' });
  const realNode = realNodeRoutes(sandbox);
  const control = await startControlServer(sandbox, realNode);
  const address = control.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  project.provide('qhcSandbox', {
    kubeconfigPath: sandbox.kubeconfigPath,
    server: sandbox.server,
    caFile: sandbox.caFile,
    certFile: sandbox.certFile,
    keyFile: sandbox.keyFile,
    controlUrl: `http://127.0.0.1:${port}`,
    logsDir: sandbox.logsDir,
  });
  return async () => {
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await realNode.stop();
    await sandbox.stop();
  };
}

const RESTARTS: Record<string, (sandbox: Sandbox) => Promise<void>> = {
  '/restart-apiserver': (sandbox) => sandbox.restartApiServer(),
  '/restart-etcd': (sandbox) => sandbox.restartEtcd(),
};

async function startControlServer(sandbox: Sandbox, realNode: RealNodeRoutes): Promise<Server> {
  const server = createServer((req, res) => {
    if (realNode.handle(req, res)) return;
    const restart = req.method === 'POST' ? RESTARTS[req.url ?? ''] : undefined;
    if (restart) {
      restart(sandbox).then(
        () => res.writeHead(204).end(),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  server.unref();
  return server;
}
