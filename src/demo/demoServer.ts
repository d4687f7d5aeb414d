// A small server that answers like a Spring Boot app with Spring Security (form login, HTTP Basic,
// cookie CSRF), so the examples work without Java. Users: user/password and admin/admin.
// The real thing, for tests, is the Tomcat + Spring app in test/fixtures/spring.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default `localhost`. */
  host?: string;
  /** Idle time after which a session is forgotten; default 120 s. */
  sessionTimeoutSeconds?: number;
}

export interface DemoServer {
  /** e.g. `http://localhost:8080` */
  readonly url: string;
  close(): Promise<void>;
}

interface Principal {
  readonly name: string;
  readonly roles: readonly string[];
}

interface SessionData {
  principal?: Principal;
  /** Where to go back to after login (Spring's saved request). */
  savedRequest?: string;
  lastAccess: number;
}

/** One request being answered. */
interface Call {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly url: URL;
  readonly cookies: ReadonlyMap<string, string>;
  readonly form: URLSearchParams;
  readonly body: string;
  /** Set-Cookie headers to send, in order. */
  readonly setCookies: string[];
  sessionId?: string;
}

const users: Record<string, { password: string; role: string }> = {
  user: { password: 'password', role: 'ROLE_USER' },
  admin: { password: 'admin', role: 'ROLE_ADMIN' },
};
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const maxBodyBytes = 1024 * 1024;

/** Starts the demo server; resolves once it listens. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const timeoutMs = (options.sessionTimeoutSeconds ?? 120) * 1000;
  const sessions = new Map<string, SessionData>();

  /** The caller's live session, or undefined; an idle one past the timeout is forgotten here. */
  function findSession(call: Call): SessionData | undefined {
    const id = call.sessionId;
    const session = id === undefined ? undefined : sessions.get(id);
    if (!id || !session) return undefined;
    if (Date.now() - session.lastAccess > timeoutMs) {
      sessions.delete(id);
      return undefined;
    }
    session.lastAccess = Date.now();
    return session;
  }

  function createSession(call: Call): SessionData {
    for (const [id, session] of sessions) if (Date.now() - session.lastAccess > timeoutMs) sessions.delete(id);
    const session: SessionData = { lastAccess: Date.now() };
    setSessionId(call, session);
    return session;
  }

  /** Tomcat's changeSessionId(): same session, new id, new JSESSIONID cookie. */
  function setSessionId(call: Call, session: SessionData): void {
    if (call.sessionId) sessions.delete(call.sessionId);
    call.sessionId = randomBytes(16).toString('hex').toUpperCase();
    sessions.set(call.sessionId, session);
    call.setCookies.push(`JSESSIONID=${call.sessionId}; Path=/; HttpOnly`);
  }

  function handle(call: Call): void {
    const { req, url, form } = call;
    const path = url.pathname;

    // CSRF like CookieCsrfTokenRepository.withHttpOnlyFalse(): the token lives in a cookie
    // scripts can read, and unsafe requests must echo it in X-XSRF-TOKEN or the _csrf field.
    let csrf = call.cookies.get('XSRF-TOKEN') || issueCsrfToken(call);
    const header = req.headers['x-xsrf-token'];
    const sentToken = typeof header === 'string' ? header : (form.get('_csrf') ?? url.searchParams.get('_csrf'));
    if (!safeMethods.has(req.method ?? '') && sentToken !== csrf) return sendError(call, 403, 'Forbidden');

    if (req.method === 'POST' && path === '/login') {
      const account = users[form.get('username') ?? ''];
      if (!account || account.password !== form.get('password')) return redirect(call, '/login?error');
      const existing = findSession(call);
      const session = existing ?? createSession(call);
      if (existing) setSessionId(call, session); // session fixation protection
      // Spring's CsrfAuthenticationStrategy: clear the old token, then issue a new one.
      clearCsrfToken(call);
      csrf = issueCsrfToken(call);
      session.principal = { name: form.get('username') ?? '', roles: [account.role] };
      const target = session.savedRequest ?? '/';
      delete session.savedRequest;
      return redirect(call, target);
    }
    if (req.method === 'POST' && path === '/logout') {
      if (call.sessionId) sessions.delete(call.sessionId); // the JSESSIONID cookie stays in the client
      clearCsrfToken(call);
      return redirect(call, '/login?logout');
    }

    let principal: Principal | undefined;
    const authorization = req.headers.authorization ?? '';
    if (/^basic /i.test(authorization)) {
      principal = basicPrincipal(authorization.slice(6).trim());
      if (!principal) return unauthorized(call);
    } else {
      principal = findSession(call)?.principal;
    }

    if (req.method === 'GET' && path === '/login') {
      if (!findSession(call)) createSession(call); // like a JSP login page
      return send(call, 200, 'text/html;charset=UTF-8', loginPage(csrf, url.searchParams));
    }
    if (req.method === 'GET' && path === '/api/public') return sendJson(call, 200, { message: 'public' });
    if (!principal) return startAuthentication(call);
    if (path.startsWith('/api/admin') && !principal.roles.includes('ROLE_ADMIN')) return sendError(call, 403, 'Forbidden');

    const route = `${req.method} ${path}`;
    if (route === 'GET /') return send(call, 200, 'text/plain;charset=UTF-8', `Hello, ${principal.name}\n`);
    if (route === 'GET /api/me') return sendJson(call, 200, { name: principal.name, roles: principal.roles });
    if (route === 'GET /api/admin') return sendJson(call, 200, { message: `Hello, administrator ${principal.name}` });
    if (route === 'POST /api/notes') {
      let note: unknown;
      try {
        note = JSON.parse(call.body);
      } catch {
        return sendError(call, 400, 'Bad Request');
      }
      if (typeof note !== 'object' || note === null || Array.isArray(note)) return sendError(call, 400, 'Bad Request');
      return sendJson(call, 201, { ...note, author: principal.name });
    }
    return sendError(call, 404, 'Not Found');
  }

  /** Spring Boot's entry points: browsers go to the login page, API clients get a Basic challenge. */
  function startAuthentication(call: Call): void {
    const accept = call.req.headers.accept ?? '';
    // Spring saves a GET that does not ask for JSON, which is what creates a session before login.
    if (call.req.method === 'GET' && !accept.includes('application/json')) {
      (findSession(call) ?? createSession(call)).savedRequest = call.url.pathname + call.url.search;
    }
    if (accept.includes('text/html')) redirect(call, '/login');
    else unauthorized(call);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const cookies = parseCookies(req.headers.cookie);
      const body = Buffer.concat(chunks).toString('utf8');
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const call: Call = {
        req,
        res,
        url: new URL(req.url ?? '/', 'http://localhost'),
        cookies,
        form: new URLSearchParams(isForm ? body : ''),
        body,
        setCookies: [],
        sessionId: cookies.get('JSESSIONID'),
      };
      try {
        handle(call);
      } catch {
        sendError(call, 500, 'Internal Server Error');
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? 'localhost', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? 'localhost';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function issueCsrfToken(call: Call): string {
  const token = randomUUID();
  call.setCookies.push(`XSRF-TOKEN=${token}; Path=/`);
  return token;
}

function clearCsrfToken(call: Call): void {
  call.setCookies.push('XSRF-TOKEN=; Max-Age=0; Expires=Thu, 01-Jan-1970 00:00:10 GMT; Path=/');
}

function basicPrincipal(encoded: string): Principal | undefined {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const name = decoded.slice(0, colon);
  const account = users[name];
  return colon > 0 && account?.password === decoded.slice(colon + 1) ? { name, roles: [account.role] } : undefined;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals).trim();
    // The first of two same-named cookies wins, as in Spring's WebUtils.getCookie.
    if (equals > 0 && !cookies.has(name)) cookies.set(name, pair.slice(equals + 1).trim());
  }
  return cookies;
}

function loginPage(csrf: string, query: URLSearchParams): string {
  const notice = query.has('error') ? '<p class="error">Bad credentials</p>\n' : query.has('logout') ? '<p class="notice">You have been signed out</p>\n' : '';
  return `<!DOCTYPE html>
<html><head><title>Please sign in</title></head><body>
${notice}<form method="post" action="/login">
<input name="username" placeholder="Username" />
<input name="password" type="password" placeholder="Password" />
<input name="_csrf" type="hidden" value="${csrf}" />
<button type="submit">Sign in</button>
</form>
</body></html>
`;
}

function send(call: Call, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  if (call.setCookies.length) call.res.setHeader('Set-Cookie', call.setCookies);
  call.res.writeHead(status, { 'Content-Type': contentType, ...headers });
  call.res.end(body);
}

function sendJson(call: Call, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(call, status, 'application/json', JSON.stringify(body), headers);
}

/** Spring Boot's JSON error body. */
function sendError(call: Call, status: number, error: string, headers: Record<string, string> = {}): void {
  const timestamp = new Date().toISOString().replace('Z', '+00:00');
  sendJson(call, status, { timestamp, status, error, message: error, path: call.url.pathname }, headers);
}

function unauthorized(call: Call): void {
  sendError(call, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="Realm"' });
}

/** Absolute Location, as Spring Boot sends. */
function redirect(call: Call, path: string): void {
  send(call, 302, 'text/plain', '', { Location: `http://${call.req.headers.host ?? 'localhost'}${path}` });
}
