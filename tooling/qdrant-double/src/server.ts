// The HTTP face of the simulation: one server on 127.0.0.1 serves many simulated clusters.
// A node's base URL is `${url}/${cluster}/${node}`, so a client built with that prefix
// talks to "the Qdrant process on that node". Bodies follow Qdrant's envelope:
// `{result, status: "ok", time}` on success, `{status: {error}, time}` on failure.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ClusterSimulation, QdrantRefusal } from './simulation.ts';

export interface RecordedCall {
  cluster: string;
  node: number;
  method: string;
  /** The path below the node's prefix, with the query string. */
  path: string;
  body: unknown;
  status: number;
}

/** A fault: requests matching it answer `status` (or never answer, for 'hang') `times` times. */
export interface Fault {
  method?: string;
  path: RegExp;
  response: number | 'hang';
  times: number;
}

export interface QdrantDouble {
  url: string;
  /** Creates (or returns) the simulation for a cluster key; uriFor gives each node's p2p URI. */
  cluster(key: string, uriFor?: (node: number) => string): ClusterSimulation;
  /** The base URL of the Qdrant process on a node of a cluster. */
  nodeUrl(key: string, node: number): string;
  calls: RecordedCall[];
  faults: Fault[];
  /** Runs before a request is answered, e.g. to look at the apiserver at that moment. */
  onRequest?: (call: Omit<RecordedCall, 'status'>) => Promise<void> | void;
  /** The API key every request must carry, when set. */
  apiKey?: string;
  close(): Promise<void>;
}

export async function startQdrantDouble(options: { apiKey?: string } = {}): Promise<QdrantDouble> {
  const clusters = new Map<string, ClusterSimulation>();
  const hanging = new Set<ServerResponse>();
  const double: QdrantDouble = {
    url: '',
    calls: [],
    faults: [],
    apiKey: options.apiKey,
    cluster(key, uriFor = (node) => `http://${key.replaceAll('/', '-')}-${node}:6335/`) {
      let sim = clusters.get(key);
      if (!sim) clusters.set(key, (sim = new ClusterSimulation(uriFor)));
      return sim;
    },
    nodeUrl: (key, node) => `${double.url}/${encodeURIComponent(key)}/${node}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { status: { error: `Service internal error: ${String(error)}` }, time: 0 }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://double');
    const [clusterKey, nodeText, ...rest] = url.pathname.split('/').filter(Boolean);
    const path = `/${rest.join('/')}${url.search}`;
    const method = req.method ?? 'GET';
    const body = await readJson(req);
    const call = { cluster: decodeURIComponent(clusterKey ?? ''), node: Number(nodeText), method, path, body };
    await double.onRequest?.(call);
    const record = (status: number) => double.calls.push({ ...call, status });

    const fault = double.faults.find((f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (fault) {
      fault.times--;
      if (fault.response === 'hang') {
        record(0);
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      record(fault.response);
      return send(res, fault.response, { status: { error: `Service internal error: injected fault (${fault.response})` }, time: 0 });
    }
    if (double.apiKey && req.headers['api-key'] !== double.apiKey) {
      record(401);
      return send(res, 401, { status: { error: 'Unauthorized: Invalid API key or JWT' }, time: 0 });
    }
    const sim = clusters.get(call.cluster);
    if (!sim || !Number.isInteger(call.node)) {
      record(404);
      return send(res, 404, { status: { error: `Not found: no simulated cluster ${call.cluster}` }, time: 0 });
    }
    try {
      sim.settle();
      const result = route(sim, call.node, method, url.pathname.split('/').slice(3), url.searchParams, body);
      record(200);
      send(res, 200, { result, status: 'ok', time: 0.000_1 });
    } catch (error) {
      if (!(error instanceof QdrantRefusal)) throw error;
      record(error.status);
      send(res, error.status, { status: { error: error.message }, time: 0 });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the Qdrant double did not get a TCP port');
  double.url = `http://127.0.0.1:${address.port}`;
  return double;
}

function route(sim: ClusterSimulation, node: number, method: string, segments: string[], query: URLSearchParams, body: unknown): unknown {
  const [a, b, c, d] = segments;
  if (method === 'GET' && a === 'cluster' && !b) return sim.clusterInfo(node);
  if (method === 'DELETE' && a === 'cluster' && b === 'peer' && c) {
    sim.removePeer(Number(c), query.get('force') === 'true');
    return true;
  }
  if (method === 'GET' && a === 'collections' && !b) return { collections: [...sim.collections.keys()].map((name) => ({ name })) };
  if (method === 'GET' && a === 'collections' && b && !c) return sim.collectionInfo(decodeURIComponent(b));
  if (a === 'collections' && b && c === 'cluster' && !d) {
    const name = decodeURIComponent(b);
    if (method === 'GET') return sim.collectionClusterInfo(name, node);
    if (method === 'POST') {
      const op = (body ?? {}) as Record<string, { shard_id: number; from_peer_id: number; to_peer_id: number; peer_id: number; method?: string }>;
      if (op.move_shard) sim.startTransfer(name, 'move', op.move_shard);
      else if (op.replicate_shard) sim.startTransfer(name, 'replicate', op.replicate_shard);
      else if (op.abort_transfer) sim.abortTransfer(name, op.abort_transfer);
      else if (op.drop_replica) sim.dropReplica(name, op.drop_replica);
      else throw new QdrantRefusal(422, `Format error in JSON body: unknown operation ${Object.keys(op).join(',')}`);
      return true;
    }
  }
  throw new QdrantRefusal(404, `Not found: ${method} /${segments.join('/')} is not simulated`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
