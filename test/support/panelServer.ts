// A loopback server for the response panel's tests in the real VS Code (in-host and UI). Like
// Tomcat it sends NO reason phrase ("HTTP/1.1 200 "), so the panel must supply "200 OK". GET /home
// issues an anonymous JSESSIONID and POST /login rotates it, as Spring Security does on login.
// It also serves script payloads (/xss, /xss.json), a 5 MB JSON body (/big), and counts requests to
// /pwned: the payloads call it, so any payload that ever ran anywhere shows up in `pwnedHits`.
// Free of `vscode`: it runs in the test process and, bundled, inside the extension host.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { largeJson, xssPayloads } from './panelFixtures';

export interface PanelServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  /** Method and path of every request, in order (beacons included). */
  readonly requests: readonly string[];
  /** JSESSIONIDs issued, in order: /home's anonymous one, then one per /login. */
  readonly issuedSessions: readonly string[];
  /** Requests to /pwned: a payload that executed. Must stay 0. */
  readonly pwnedHits: number;
  /** The custom header /api/profile sends. */
  readonly requestIdHeader: readonly [string, string];
  /** The payloads /xss and /xss.json carry (each calls /pwned and sets window.__pwned if run). */
  readonly payloads: readonly string[];
  close(): Promise<void>;
}

/** Bytes of the /big JSON body. */
export const bigJsonBytes = 5 * 1024 * 1024;

/** A request file for this server; the UI test clicks its Send Request lenses in this order. */
export function panelRequestFile(url: string): string {
  return `### Home: an anonymous session
GET ${url}/home

### Log in: the server rotates JSESSIONID
POST ${url}/login
Content-Type: application/x-www-form-urlencoded

username=alice&password=secret

### Profile
GET ${url}/api/profile
Accept: application/json

### Hostile HTML, headers and cookies
GET ${url}/xss

### Hostile JSON
GET ${url}/xss.json

### Big JSON
GET ${url}/big
`;
}

/** The lines sendRequest() looks for, and the order of the Send Request lenses. */
export const panelRequests = ['/home', '/login', '/api/profile', '/xss', '/xss.json', '/big'] as const;

/** writeHead with an empty reason phrase: Node then writes "HTTP/1.1 200 " as Tomcat does. */
function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string | string[]> = {}): void {
  response.writeHead(status, '', { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  response.end(body);
}

export async function startPanelServer(): Promise<PanelServer> {
  const requests: string[] = [];
  const issuedSessions: string[] = [];
  let pwnedHits = 0;
  const requestIdHeader = ['X-Request-Id', 'req-7781'] as const;
  let payloads: string[] = [];
  let big: string | undefined;

  const issue = (prefix: string): string => {
    const id = `${prefix}-${issuedSessions.length + 1}-${Math.random().toString(36).slice(2, 10)}`;
    issuedSessions.push(id);
    return id;
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${request.method} ${url.pathname}`);
    request.resume(); // bodies are not read; drained so keep-alive works
    switch (url.pathname) {
      case '/pwned':
        pwnedHits++;
        // A beacon may come from a page with another origin: let it through so it is counted.
        return send(response, 200, 'text/plain', 'counted', { 'Access-Control-Allow-Origin': '*' });
      case '/home':
        return send(response, 200, 'application/json', JSON.stringify({ page: 'home' }), { 'Set-Cookie': `JSESSIONID=${issue('anon')}; Path=/; HttpOnly` });
      case '/login':
        return send(response, 200, 'application/json', JSON.stringify({ user: 'alice' }), { 'Set-Cookie': `JSESSIONID=${issue('user')}; Path=/; HttpOnly` });
      case '/api/profile':
        return send(response, 200, 'application/json', JSON.stringify({ id: 42, name: 'Alice', roles: ['admin', 'user'] }), { [requestIdHeader[0]]: requestIdHeader[1] });
      case '/xss':
        // In the body, in header values, and as cookie names and values.
        return send(response, 200, 'text/html', `<!DOCTYPE html><html><body>${payloads.join('')}<textarea>${payloads.join('')}</textarea></body></html>`, {
          'X-Evil': payloads.join(''),
          'Set-Cookie': payloads.map((payload, index) => (index % 2 === 0 ? `${payload}=x; Path=/xss` : `evil${index}=${payload}; Path=/xss`)),
        });
      case '/xss.json':
        return send(response, 200, 'application/json', JSON.stringify({ [payloads[0]]: payloads[1], list: payloads, link: { href: payloads[2] } }));
      case '/big':
        big ??= largeJson(bigJsonBytes);
        return send(response, 200, 'application/json', big);
      default:
        return send(response, 404, 'application/json', JSON.stringify({ error: `no route ${url.pathname}` }));
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  // Whatever frame a payload would run in, its effect reaches this server and sets a flag there.
  payloads = xssPayloads(`fetch('${url}/pwned'),window.__pwned=1`);

  return {
    url,
    requests,
    issuedSessions,
    get pwnedHits() {
      return pwnedHits;
    },
    requestIdHeader,
    payloads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
