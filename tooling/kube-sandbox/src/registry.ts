// A private OCI registry for tests: Debian's docker-registry (the CNCF distribution registry)
// on 127.0.0.1 with its own storage, optionally behind htpasswd basic authentication.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePorts } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

export interface OciRegistry {
  /** `127.0.0.1:<port>` */
  host: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface OciRegistryOptions {
  /** Require this login (basic authentication, bcrypt htpasswd). */
  user?: { username: string; password: string };
  /** Serve HTTPS with this certificate (PEM), e.g. createLoopbackTls's. */
  tls?: { cert: string; key: string };
  /**
   * Docker's token authentication (as Docker Hub and GHCR do it): clients get a JWT from
   * `realm`; the registry trusts tokens whose x5c chain ends at `rootCertBundle` (PEM).
   */
  tokenAuth?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

/** An htpasswd line: docker-registry accepts only bcrypt, at the cheapest cost (tests log in on every request). */
function htpasswdLine(username: string, password: string): string {
  // The password goes on standard input, never on a command line.
  return execFileSync('htpasswd', ['-niBC', '4', username], { input: password, encoding: 'utf8' }).trim();
}

function connectable(host: string): Promise<boolean | undefined> {
  const [address, port] = host.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), address!, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(undefined));
  });
}

export async function startOciRegistry(options: OciRegistryOptions = {}): Promise<OciRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'qhc-registry-'));
  const [port] = await freePorts(1);
  const host = `127.0.0.1:${port}`;
  mkdirSync(join(dir, 'data'));
  const auth = options.user
    ? (writeFileSync(join(dir, 'htpasswd'), `${htpasswdLine(options.user.username, options.user.password)}\n`),
      `auth:\n  htpasswd:\n    realm: qhc-test\n    path: ${join(dir, 'htpasswd')}\n`)
    : '';
  let token = '';
  if (options.tokenAuth) {
    writeFileSync(join(dir, 'token-roots.pem'), options.tokenAuth.rootCertBundle);
    const t = options.tokenAuth;
    token = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${join(dir, 'token-roots.pem')}\n`;
  }
  let tls = '';
  if (options.tls) {
    writeFileSync(join(dir, 'tls.crt'), options.tls.cert);
    writeFileSync(join(dir, 'tls.key'), options.tls.key, { mode: 0o600 });
    tls = `  tls:\n    certificate: ${join(dir, 'tls.crt')}\n    key: ${join(dir, 'tls.key')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${tls}${auth}${token}`,
  );
  const proc = new ManagedProcess({
    name: 'docker-registry',
    command: 'docker-registry',
    args: ['serve', join(dir, 'config.yml')],
    logFile: join(dir, 'registry.log'),
  });
  proc.start();
  await waitFor(
    `the registry on ${host}`,
    async () => {
      if (proc.hasExited) throw new Error(`docker-registry exited:\n${proc.tail()}`);
      // Listening is enough (a TLS registry's certificate is the caller's business).
      const res = options.tls ? await connectable(host) : await fetch(`http://${host}/v2/`).catch(() => undefined);
      return res === true || (res && typeof res === 'object' && (res.status === 200 || res.status === 401)) ? true : undefined;
    },
    { timeoutMs: 15_000, onTimeout: () => proc.tail() },
  );
  return {
    host,
    pid: proc.pid,
    async stop() {
      await proc.stop(5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
