// The tests' one HTTPS client of the control plane: its private CA, the management key when given.
import { request } from 'node:https';

export interface HttpsAnswer {
  status: number;
  /** The body parsed as JSON; empty for a text answer (/healthz, the console, the installation script). */
  json: Record<string, unknown>;
  body: string;
  type: string;
  csp: string;
}

export function https(ca: string, method: string, url: string, key?: string, body?: unknown, timeoutMs = 30_000): Promise<HttpsAnswer> {
  const headers: Record<string, string> = key === undefined ? {} : { authorization: `apikey ${key}`, 'content-type': 'application/json' };
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let json: Record<string, unknown> = {};
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          // a text answer
        }
        const header = (name: string) => String(res.headers[name]);
        resolve({ status: res.statusCode ?? 0, json, body: text, type: header('content-type'), csp: header('content-security-policy') });
      });
    });
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs / 1000} s`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
