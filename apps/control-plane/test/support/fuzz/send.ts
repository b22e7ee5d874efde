import { Agent, request } from 'node:http';

export interface Sent {
  method: string;
  /** Raw: sent as is, broken percent-encoding included. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}
export interface Answer {
  /** 0: no answer within the timeout. */
  status: number;
  json: unknown;
  text: string;
  ms: number;
}

/**
 * One request over loopback with node:http (fetch would normalise the path and refuse some
 * methods); no answer within `timeoutMs` is status 0, and the socket is dropped.
 */
export function send(base: URL, agent: Agent, sent: Sent, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const body = sent.body === undefined ? undefined : Buffer.from(sent.body, 'utf8');
    const headers = { ...sent.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    let req: ReturnType<typeof request>;
    try {
      req = request({ host: base.hostname, port: base.port, method: sent.method, path: sent.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text, ms: performance.now() - started });
        });
      });
    } catch (error) {
      // The client's own refusal (a header or path node:http will not send): not the server's fault.
      resolve({ status: -1, json: undefined, text: error instanceof Error ? error.message : String(error), ms: 0 });
      return;
    }
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: 0, json: undefined, text: error.message, ms: performance.now() - started });
    });
    req.end(body);
  });
}

/** `/healthz` every `everyMs` until stopped: the latencies, for the p99. */
export function probeHealth(base: URL, everyMs: number): { stop(): Promise<number[]> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      const answer = await send(base, agent, { method: 'GET', path: '/healthz', headers: {} }, 5_000);
      latencies.push(answer.status === 200 ? answer.ms : Number.POSITIVE_INFINITY);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      agent.destroy();
      return latencies;
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
