// A TCP proxy on 127.0.0.1 that can black-hole the path to its upstream: while black-holed it
// accepts and holds connections and silently drops every byte, in both directions, on new and
// open connections alike (no FIN, no RST: a dead network, not a closed port). Connections that
// lived through a black hole stay dead after restore(), as after a lost NAT entry; the client
// must notice on its own (a timeout) and connect again.
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream?: Socket;
  dead: boolean;
}

export async function startTcpProxy(upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<TcpProxy> {
  const links = new Set<Link>();
  let holing = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const link: Link = { client, dead: holing };
    links.add(link);
    client.on('error', () => undefined);
    client.on('close', () => {
      links.delete(link);
      link.upstream?.destroy();
    });
    client.on('data', (chunk) => {
      if (!link.dead) link.upstream?.write(chunk);
    });
    if (link.dead) return;
    const upstream = connect(upstreamPort, upstreamHost);
    link.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('data', (chunk) => {
      if (!link.dead) client.write(chunk);
    });
    upstream.on('close', () => {
      if (!link.dead) client.destroy();
    });
    // Bytes the client sent before the upstream connected are queued by the socket.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    blackhole() {
      holing = true;
      for (const link of links) {
        link.dead = true;
        // The upstream side is gone for good; the client side hears nothing about it.
        link.upstream?.destroy();
      }
    },
    restore() {
      holing = false;
    },
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.upstream?.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
