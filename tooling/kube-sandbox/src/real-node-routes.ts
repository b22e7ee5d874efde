import type { IncomingMessage, ServerResponse } from 'node:http';
import { startRealNode, type RealNode } from './real-node.ts';
import type { Sandbox } from './sandbox.ts';

/** What a test file gets from POST /real-node (see useRealNode in ./vitest.ts). */
export interface ProvidedRealNode {
  name: string;
  taint: string;
  registryHostsDir: string;
  podLogsDir: string;
  apiServerPort: number;
  figures: RealNode['figures'];
}

export interface RealNodeRoutes {
  /** Answers /real-node requests; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  stop(): Promise<void>;
}

function answer(res: ServerResponse, work: () => Promise<unknown>): void {
  void work().then(
    (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
    (error: unknown) => res.writeHead(500).end(error instanceof Error ? error.message : String(error)),
  );
}

/**
 * The real node of a package run, started by the first test file that asks for it (POST
 * /real-node) and shared by the others; stopped before the sandbox. GET /real-node/memory
 * reads its processes' resident memory now.
 */
export function realNodeRoutes(sandbox: Sandbox): RealNodeRoutes {
  let starting: Promise<RealNode> | undefined;
  const start = () => (starting ??= startRealNode(sandbox, { log: (line) => process.stderr.write(`[kube-sandbox] ${line}\n`) }));
  return {
    handle(req, res) {
      if (req.method === 'POST' && req.url === '/real-node') {
        answer(res, async () => {
          const node = await start();
          const provided: ProvidedRealNode = {
            name: node.name,
            taint: node.taint,
            registryHostsDir: node.registryHostsDir,
            podLogsDir: node.podLogsDir,
            apiServerPort: Number(new URL(sandbox.server).port),
            figures: node.figures,
          };
          return provided;
        });
        return true;
      }
      if (req.method === 'GET' && req.url === '/real-node/memory') {
        answer(res, async () => (await start()).memory());
        return true;
      }
      return false;
    },
    async stop() {
      const node = await starting?.catch(() => undefined);
      await node?.stop();
    },
  };
}
