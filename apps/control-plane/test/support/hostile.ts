import http2 from 'node:http2';
import { request } from 'node:https';
import type { CloudPlane } from './cloud.ts';

// Hand-made requests for the hostile-client tests: protobuf bytes written field by field, and
// requests whose body is sent partly or never ended (what a real client library never does).

export function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A length-delimited field (a string, bytes or a nested message). */
export const ld = (field: number, body: Uint8Array | string): Buffer => {
  const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(bytes.length)]), bytes]);
};

export const repeat = (n: number, item: (i: number) => Buffer): Buffer => Buffer.concat(Array.from({ length: n }, (_, i) => item(i)));

/** A gRPC frame of one uncompressed message. */
export function grpcFrame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** A CreateHybridCloudEnvironmentRequest with `configuration` (the namespace is added) and extra HybridCloudEnvironment bytes. */
export function createEnvironmentBytes(accountId: string, name: Buffer | string, configuration: Buffer = Buffer.alloc(0), extra = Buffer.alloc(0)): Buffer {
  const config = Buffer.concat([ld(4, 'qhc'), configuration]);
  return ld(1, Buffer.concat([ld(1, accountId), ld(5, name), ld(20, config), extra]));
}

export const CREATE_ENVIRONMENT = '/qdrant.cloud.hybrid.v1.HybridCloudService/CreateHybridCloudEnvironment';

export interface RawAnswer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  /** grpc-status and grpc-message, from the trailers or (trailers-only) the headers. */
  grpcStatus: string | undefined;
  grpcMessage: string | undefined;
  body: Buffer;
}

/**
 * One HTTP/2 call; `end: false` leaves the request body open (the answer must come without it).
 * Resolves once the server closed the stream.
 */
export function rawH2(plane: CloudPlane, path: string, body: Buffer, headers: Record<string, string>, end = true): Promise<RawAnswer> {
  const session = http2.connect(plane.cp.url, { ca: plane.tls!.ca });
  session.on('error', () => {});
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
    let answer: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (answer = { ...h }));
    stream.on('trailers', (t) => Object.assign(answer, t));
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('error', () => {});
    stream.once('close', () => {
      session.destroy();
      const message = answer['grpc-message'] as string | undefined;
      resolve({
        status: Number(answer[':status'] ?? 0),
        headers: answer,
        grpcStatus: answer['grpc-status'] as string | undefined,
        grpcMessage: message === undefined ? undefined : decodeURIComponent(message),
        body: Buffer.concat(chunks),
      });
    });
    session.once('error', reject);
    if (end) stream.end(body);
    else stream.write(body);
  });
}

/** One HTTP/1.1 request; `end: false` sends the body's first part only and leaves it open (content-length says more). */
export function rawH1(plane: CloudPlane, path: string, body: string, headers: Record<string, string>, end = true): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, plane.cp.url), {
      method: 'POST',
      ca: plane.tls!.ca,
      agent: false,
      headers: { 'content-type': 'application/json', ...headers, ...(end ? {} : { 'content-length': String(body.length * 10) }) },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
      });
    });
    if (end) req.end(body);
    else req.write(body);
  });
}
