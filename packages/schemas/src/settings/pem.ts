// Structural check of PEM certificates without node:crypto, so the same validation runs
// in the web console: BEGIN/END markers, base64 that decodes, and DER whose outer
// SEQUENCE length matches the bytes present (catches truncated or pasted-over bodies).

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

export type PemCheck = { ok: true; certificates: number } | { ok: false; reason: string };

export function checkPemCertificates(text: string): PemCheck {
  const blocks = [...text.matchAll(BLOCK)];
  if (blocks.length === 0) {
    return { ok: false, reason: 'must be a PEM certificate starting with "-----BEGIN CERTIFICATE-----"' };
  }
  const leftover = text.replace(BLOCK, '').trim();
  if (leftover.length > 0) {
    return { ok: false, reason: 'has text outside the BEGIN/END CERTIFICATE blocks' };
  }
  for (const [index, block] of blocks.entries()) {
    const [, begin, body = '', end] = block;
    const which = blocks.length > 1 ? `certificate ${index + 1}` : 'the certificate';
    if (begin !== 'CERTIFICATE' || end !== 'CERTIFICATE') {
      return { ok: false, reason: `${which} is a "${begin}" block; only CERTIFICATE blocks belong here (never a private key)` };
    }
    const base64 = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
      return { ok: false, reason: `${which} is not valid base64` };
    }
    const der = decodeBase64(base64);
    const problem = checkDerSequence(der);
    if (problem) return { ok: false, reason: `${which} is not a DER-encoded X.509 certificate: ${problem}` };
  }
  return { ok: true, certificates: blocks.length };
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads a DER tag+length at `offset`; returns the content range or a reason. */
function readTlv(der: Uint8Array, offset: number): { tag: number; start: number; end: number } | string {
  if (offset + 2 > der.length) return 'it is truncated';
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > der.length) return 'it has an invalid length';
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
    start += count;
  }
  const end = start + length;
  if (end > der.length) return 'it is truncated';
  return { tag, start, end };
}

function checkDerSequence(der: Uint8Array): string | undefined {
  const outer = readTlv(der, 0);
  if (typeof outer === 'string') return outer;
  if (outer.tag !== 0x30) return 'it does not start with a SEQUENCE';
  if (outer.end !== der.length) return 'it has trailing bytes';
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signature BIT STRING }
  const tbs = readTlv(der, outer.start);
  if (typeof tbs === 'string') return tbs;
  const algorithm = readTlv(der, tbs.end);
  if (typeof algorithm === 'string') return algorithm;
  const signature = readTlv(der, algorithm.end);
  if (typeof signature === 'string') return signature;
  if (tbs.tag !== 0x30 || algorithm.tag !== 0x30 || signature.tag !== 0x03) return 'its structure is not tbsCertificate, algorithm, signature';
  return undefined;
}
