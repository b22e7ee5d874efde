import { Code, ConnectError } from '@connectrpc/connect';
import type { AnyRequest } from './transport.ts';

// A request body read under two bounds: its size and a deadline. A client that sends headers
// and then trickles (or never ends) its body would otherwise hold the request, and what it
// sent, for as long as the connection lives.

export interface BodyLimits {
  /** The largest body read, in bytes. */
  maxBytes: number;
  /** How long the body may take to arrive, from the headers. */
  timeoutMs: number;
  /** Bytes of framing allowed on top of maxBytes (a gRPC message's 5-byte prefix). */
  framing?: number;
}

/** The refusal of a body larger than allowed (ResourceExhausted: the REST gateway answers 413 for it). */
const tooLarge = (size: number | undefined, limit: number) =>
  new ConnectError(`the request body${size === undefined ? '' : ` (${size} bytes)`} is larger than ${limit} bytes`, Code.ResourceExhausted);

/** The whole body, or a refusal; on a refusal the rest of the body is not read. */
export async function readBody(req: AnyRequest, limits: BodyLimits): Promise<Buffer> {
  const max = limits.maxBytes + (limits.framing ?? 0);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) throw tooLarge(declared, limits.maxBytes);
  // As connect-node reads it (and later drains it): an iterator that leaves the request open.
  const chunks = (req as AsyncIterable<Buffer> & { iterator(o: object): AsyncIterator<Buffer> }).iterator({ destroyOnReturn: false });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ConnectError(`the request body did not arrive within ${limits.timeoutMs} ms`, Code.DeadlineExceeded)),
      limits.timeoutMs,
    );
  });
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), deadline]);
      if (next.done) return Buffer.concat(parts);
      size += next.value.length;
      if (size > max) throw tooLarge(undefined, limits.maxBytes);
      parts.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
}
