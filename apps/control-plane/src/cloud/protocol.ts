import type { ServerResponse } from 'node:http';
import { constants as h2 } from 'node:http2';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { DescMessage } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { codeToHttpStatus, errorToJsonBytes } from '@connectrpc/connect/protocol-connect';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { jsonDepthProblem, MAX_BODY_DEPTH } from '../api/json-limits.ts';
import type { AnyRequest, AnyResponse } from './transport.ts';
import { checkEnumNames } from './json-enums.ts';
import { scanMessage, type WireLimits } from './wire-scan.ts';

// What the Cloud API's own adapter needs of the three protocols before connect reads a call:
// which one a request speaks, its refusal in that protocol's form, and its message's bytes
// checked (size, depth, elements, fields) before they are decoded.

export type Protocol = 'grpc' | 'grpc-web' | 'connect';

export interface RequestKind {
  protocol: Protocol;
  json: boolean;
}

export function kindOf(req: AnyRequest): RequestKind {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const protocol: Protocol = type.startsWith('application/grpc-web') ? 'grpc-web' : type.startsWith('application/grpc') ? 'grpc' : 'connect';
  return { protocol, json: /[/+]json\b/.test(type) };
}

/**
 * The refusal as the protocol carries it: gRPC and gRPC-Web as a trailers-only answer (status in
 * the headers), Connect as an HTTP status with its JSON error. The rest of the body is not read:
 * HTTP/1.1 closes the connection, HTTP/2 resets the stream once the answer is out.
 */
export function writeRefusal(req: AnyRequest, res: AnyResponse, kind: RequestKind, error: ConnectError, bodyRead: boolean): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = {};
  let status = 200;
  let body: Uint8Array = new Uint8Array(0);
  if (kind.protocol === 'connect') {
    status = codeToHttpStatus(error.code);
    headers['content-type'] = 'application/json';
    body = errorToJsonBytes(error, {});
  } else {
    const trailer = new Headers();
    setTrailerStatus(trailer, error);
    headers['content-type'] = kind.protocol === 'grpc' ? 'application/grpc' : 'application/grpc-web+proto';
    trailer.forEach((value, name) => (headers[name] = value));
  }
  // When to try again (a busy refusal), as connect sends it; no other metadata leaves as a header.
  const retryAfter = error.metadata.get('retry-after');
  if (retryAfter) headers['retry-after'] = retryAfter;
  if (!bodyRead && !('stream' in req)) headers.connection = 'close';
  // As connect-node does: the reset goes after the (empty) trailers, which the compat API sends on a later tick.
  if (!bodyRead && 'stream' in req) {
    const stream = req.stream;
    stream.once('wantTrailers', () => setImmediate(() => stream.state.remoteClose === 0 && stream.close(h2.NGHTTP2_NO_ERROR)));
  }
  const response = res as ServerResponse;
  response.writeHead(status, headers);
  response.end(body);
}

/** A compressed message as it was sent, decompressed up to `max` bytes (a larger one is refused); unknown encodings are left to connect. */
function decompressed(bytes: Buffer, encoding: string | undefined, max: number): Buffer | undefined {
  const options = { maxOutputLength: max };
  try {
    if (encoding === 'gzip') return gunzipSync(bytes, options);
    if (encoding === 'br') return brotliDecompressSync(bytes, options);
  } catch (error) {
    if (error instanceof RangeError) throw new ConnectError(`the request message is larger than ${max} bytes once decompressed`, Code.ResourceExhausted);
    throw new ConnectError(`the request message is not valid ${encoding}: ${error instanceof Error ? error.message : String(error)}`, Code.InvalidArgument);
  }
  return undefined;
}

/** The message's bytes checked against its schema (binary) or its shape (JSON). */
function checkMessage(input: DescMessage, bytes: Uint8Array, json: boolean, limits: WireLimits): void {
  if (!json) return scanMessage(input, bytes, limits);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const problem = jsonDepthProblem(text, MAX_BODY_DEPTH, limits.maxElements);
  if (!problem) return checkEnumNamesOf(input, text);
  const where = problem.path.join('.') || '(the request)';
  throw new ConnectError(`${where}: the request ${problem.message}`, problem.code === 'too_many' ? Code.ResourceExhausted : Code.InvalidArgument);
}

/** Bounded by the scan above, the body is parsed once more to name a field holding an unknown enum name. */
function checkEnumNamesOf(input: DescMessage, text: string): void {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return; // connect answers a body that is not JSON
  }
  checkEnumNames(input, json);
}

export interface CheckedBody {
  body: Buffer;
  /** The body was decompressed here: connect must not decompress it again. */
  decompressed: boolean;
}

/**
 * The body once its message passed the checks, decompressed here so the checks see what connect
 * decodes. A body the protocol cannot frame is left to connect, which answers it.
 */
export function checkedBody(req: AnyRequest, kind: RequestKind, input: DescMessage, body: Buffer, limits: WireLimits & { maxBytes: number }): CheckedBody {
  if (kind.protocol === 'connect') {
    const encoding = req.headers['content-encoding'] as string | undefined;
    const plain = decompressed(body, encoding, limits.maxBytes);
    checkMessage(input, plain ?? body, kind.json, limits);
    return { body: plain ?? body, decompressed: plain !== undefined };
  }
  // gRPC and gRPC-Web unary requests: one enveloped message (flags, 4-byte length, bytes).
  if (body.length < 5 || body.readUInt32BE(1) !== body.length - 5) return { body, decompressed: false };
  const flags = body[0]!;
  const encoding = req.headers['grpc-encoding'] as string | undefined;
  const plain = flags & 1 ? decompressed(body.subarray(5), encoding, limits.maxBytes) : undefined;
  if (flags & 1 && !plain) return { body, decompressed: false };
  checkMessage(input, plain ?? body.subarray(5), kind.json, limits);
  if (!plain) return { body, decompressed: false };
  const header = Buffer.alloc(5);
  header.writeUInt32BE(plain.length, 1);
  return { body: Buffer.concat([header, plain]), decompressed: true };
}
