import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
}

/**
 * A throwaway PKI per sandbox: a CA, the apiserver's serving certificate (loopback and the
 * in-cluster names), an admin client certificate in system:masters, and the service
 * account signing key. EC keys keep generation fast on two cores.
 */
export async function createPki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-days', '30', '-subj', '/CN=qhc-sandbox-ca', '-keyout', 'ca.key', '-out', 'ca.crt'], dir);

  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  await openssl(['req', ...ec, '-subj', '/CN=kube-apiserver', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      'server.ext',
      '-out',
      'server.crt',
    ],
    dir,
  );

  await writeFile(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  await openssl(['req', ...ec, '-subj', '/O=system:masters/CN=qhc-sandbox-admin', '-keyout', 'admin.key', '-out', 'admin.csr'], dir);
  await openssl(
    ['x509', '-req', '-in', 'admin.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', 'client.ext', '-out', 'admin.crt'],
    dir,
  );

  // Service account tokens are signed with RSA by default; keep that.
  await openssl(['genrsa', '-out', 'sa.key', '2048'], dir);

  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
  };
}

export interface LoopbackTls {
  dir: string;
  /** PEM texts, and the CA's file for tools that want a path. */
  ca: string;
  caPath: string;
  cert: string;
  key: string;
}

/**
 * A private CA and a serving certificate for 127.0.0.1 and localhost: HTTPS servers in tests
 * and the local demo (the control plane), as a self-hosted one behind a private CA would run.
 */
export async function createLoopbackTls(dir: string, commonName = 'qhc-loopback'): Promise<LoopbackTls> {
  await mkdir(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-days', '30', '-subj', `/CN=${commonName}-ca`, '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  await writeFile(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  await openssl(['req', ...ec, '-subj', `/CN=${commonName}`, '-keyout', 'server.key', '-out', 'server.csr'], dir);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      'server.ext',
      '-out',
      'server.crt',
    ],
    dir,
  );
  const read = (name: string) => readFile(join(dir, name), 'utf8');
  return { dir, ca: await read('ca.crt'), caPath: join(dir, 'ca.crt'), cert: await read('server.crt'), key: await read('server.key') };
}
