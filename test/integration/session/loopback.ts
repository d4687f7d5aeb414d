import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A loopback HTTP server for one test file: counts connections, closes every socket on close(). */
export interface LoopbackServer {
  readonly url: string;
  readonly server: http.Server;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** Starts a real Node http server on 127.0.0.1:0. */
export async function startServer(handler: http.RequestListener, configure?: (server: http.Server) => void): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  configure?.(server);
  const sockets = new Set<Socket>();
  const result: LoopbackServer = {
    url: '',
    server,
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  server.on('connection', (socket: Socket) => {
    result.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(result, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** A request as the application wants to send it. */
export function get(url: string, extra: { name?: string; headers?: [string, string][] } = {}) {
  return { method: 'GET', url, headers: extra.headers ?? [], ...(extra.name ? { name: extra.name } : {}) };
}

export function text(body: Uint8Array | undefined): string {
  return Buffer.from(body ?? new Uint8Array()).toString('utf8');
}
