// A loopback server that keeps every request whole (request target, headers, body) and answers 200:
// the host a test request file sends to, or the forward proxy a planted setting names (a proxied
// request arrives with an absolute URL as its target).
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** The request line's target: `/path?query`, or `http://host:port/path` when sent to a proxy. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RecordingServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  /** The next request to arrive whole (call it before causing the request); rejects after `timeoutMs`. */
  nextRequest(timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const arrivals = new EventEmitter();
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const recorded: RecordedRequest = { method: request.method ?? 'GET', target: request.url ?? '/', headers: request.headers, body };
    requests.push(recorded);
    arrivals.emit('request', recorded);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ received: recorded.target }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    nextRequest: async (timeoutMs = 30_000) => {
      const [recorded] = (await once(arrivals, 'request', { signal: AbortSignal.timeout(timeoutMs) })) as [RecordedRequest];
      return recorded;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
