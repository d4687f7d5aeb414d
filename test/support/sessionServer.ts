// A small Spring-like server on loopback for the extension-host and UI tests: POST /login issues a
// new JSESSIONID, /me (also /whoami, /api/me) answers 200 only with a session it issued, POST /notes
// checks CSRF as Spring Security 6 does with a deferred cookie token (the first unsafe request gets 403
// and the XSRF-TOKEN cookie; then X-XSRF-TOKEN must carry it), /hang never answers. It records what reached it (the Cookie header above all) and counts TCP connections.
// Free of `vscode`: it runs in the test process and, bundled, inside the extension host.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly path: string;
  /** The Cookie header as it arrived, if any. */
  readonly cookie?: string;
  /** The JSESSIONID value of that header, if any. */
  readonly sessionId?: string;
  /** The X-XSRF-TOKEN header, if any. */
  readonly csrfToken?: string;
  /** 1-based number of the TCP connection it came on. */
  readonly connection: number;
}

export interface SessionServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  readonly requests: readonly ReceivedRequest[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** JSESSIONIDs issued by /login, in order. */
  readonly issuedSessions: readonly string[];
  /** Resolves when the next request arrives (call it before causing the request); rejects if none comes within `timeoutMs`. */
  nextRequest(timeoutMs?: number): Promise<ReceivedRequest>;
  /** Drops open connections (a /hang request included) and stops listening. */
  close(): Promise<void>;
}

const whoAmIPaths = new Set(['/me', '/whoami', '/api/me']);

function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  for (const pair of cookieHeader?.split(';') ?? []) {
    const [name, ...value] = pair.trim().split('=');
    if (name === 'JSESSIONID') return value.join('=');
  }
  return undefined;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export async function startSessionServer(): Promise<SessionServer> {
  const requests: ReceivedRequest[] = [];
  const issuedSessions: string[] = [];
  let csrfToken: string | undefined;
  let connections = 0;
  let waiters: Array<(request: ReceivedRequest) => void> = [];
  const nextRequest = (timeoutMs = 30_000): Promise<ReceivedRequest> =>
    new Promise((resolve, reject) => {
      // A deadline, not a delay: a request that never comes fails the test with this message instead of hanging it.
      const timer = setTimeout(() => reject(new Error(`no request reached the test server within ${timeoutMs} ms`)), timeoutMs);
      waiters.push((request) => {
        clearTimeout(timer);
        resolve(request);
      });
    });
  const connectionNumbers = new WeakMap<object, number>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const cookie = request.headers.cookie;
    const received: ReceivedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      ...(cookie === undefined ? {} : { cookie }),
      ...(sessionIdOf(cookie) === undefined ? {} : { sessionId: sessionIdOf(cookie) }),
      ...(typeof request.headers['x-xsrf-token'] === 'string' ? { csrfToken: request.headers['x-xsrf-token'] } : {}),
      connection: connectionNumbers.get(request.socket) ?? 0,
    };
    requests.push(received);
    const pending = waiters;
    waiters = [];
    for (const resolve of pending) resolve(received);

    const pathname = new URL(received.path, 'http://127.0.0.1').pathname;
    request.resume(); // bodies are not looked at; drain them so keep-alive works
    if (pathname === '/hang') return; // never answers: the client has to cancel
    if (pathname === '/login') {
      const id = `sid-${issuedSessions.length + 1}-${randomUUID().slice(0, 8)}`;
      issuedSessions.push(id);
      return json(response, 200, { user: 'alice', session: id }, { 'Set-Cookie': `JSESSIONID=${id}; Path=/; HttpOnly` });
    }
    if (pathname === '/notes' && received.method === 'POST') {
      if (csrfToken !== undefined && received.csrfToken === csrfToken) return json(response, 201, { saved: true });
      csrfToken ??= randomUUID();
      return json(response, 403, { status: 403, error: 'Forbidden', path: pathname }, { 'Set-Cookie': `XSRF-TOKEN=${csrfToken}; Path=/` });
    }
    if (whoAmIPaths.has(pathname)) {
      const known = received.sessionId !== undefined && issuedSessions.includes(received.sessionId);
      return known ? json(response, 200, { user: 'alice', session: received.sessionId }) : json(response, 401, { error: 'not logged in' });
    }
    json(response, 404, { error: `no route ${pathname}` });
  };

  const server = createServer(handle);
  server.on('connection', (socket) => connectionNumbers.set(socket, ++connections));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    issuedSessions,
    nextRequest,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `body` with a fresh server and closes the server afterwards, whatever happens. */
export async function withSessionServer<T>(body: (server: SessionServer) => Promise<T>): Promise<T> {
  const server = await startSessionServer();
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}
