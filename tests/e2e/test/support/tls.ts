// A private CA and a server certificate for 127.0.0.1/localhost, made with openssl: the
// control plane serves HTTPS under it, as a self-hosted one behind a private CA would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestTls {
  dir: string;
  ca: string;
  caPath: string;
  cert: string;
  key: string;
}

export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-days', '7', '-subj', '/CN=qhc-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl('req', ...ec, '-subj', '/CN=qhc-control-plane', '-keyout', 'server.key', '-out', 'server.csr');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '7', '-extfile', 'server.ext', '-out', 'server.crt');
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { dir, ca: read('ca.crt'), caPath: join(dir, 'ca.crt'), cert: read('server.crt'), key: read('server.key') };
}
