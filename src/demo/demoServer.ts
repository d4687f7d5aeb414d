// A small server that answers like the real Spring Boot 4.0 test app (test/fixtures/spring-boot) in
// its `spa` profile: formLogin + httpBasic, CSRF tokens in the XSRF-TOKEN cookie with the
// single-page-app handler (Security 7's csrf.spa()), Tomcat sessions. It lets examples/ run without
// a JVM; `npm run demo:spring` starts the real app instead. test/integration/demo/demoServer.test.ts
// runs the same requests against both and holds this server to the real one's wire behaviour.
// Users: user/password and admin/admin.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoServerOptions {
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** Default `localhost`. */
  host?: string;
  /** Idle time after which a session is forgotten; default 120 s. */
  sessionTimeoutSeconds?: number;
  /** Milliseconds since the epoch, for session idle times; default `Date.now` (tests pass their own). */
  now?: () => number;
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
  /** The request to go back to after login (Spring's saved request): its URL with `continue`, its Accept. */
  savedRequest?: { readonly url: string; readonly accept: string | undefined };
  lastAccess: number;
}

/** One range of the Accept header, lower case: `text`, `html`, `q=0.9`. */
interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: string;
}

/** One request being answered. */
interface Call {
  readonly req: http.IncomingMessage;
  readonly res: http.ServerResponse;
  readonly method: string;
  readonly url: URL;
  readonly cookies: ReadonlyMap<string, readonly string[]>;
  /** The query, then a form body: the servlet's request parameters. */
  readonly params: URLSearchParams;
  readonly body: string;
  readonly accept: readonly MediaRange[];
  /** What the controllers negotiate with: the saved request's Accept on the way back from the login. */
  handlerAccept: readonly MediaRange[];
  /** `X-Requested-With: XMLHttpRequest`: Spring answers such requests without a login page or a Basic challenge. */
  readonly xhr: boolean;
  /** Set-Cookie headers to send, in order. */
  readonly setCookies: string[];
  sessionId?: string;
  session?: SessionData;
}

const users = new Map([
  ['user', { password: 'password', role: 'ROLE_USER' }],
  ['admin', { password: 'admin', role: 'ROLE_ADMIN' }],
]);
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const maxBodyBytes = 1024 * 1024;
const jsonTypes = ['application/json', 'application/*+json'];
/** Spring Security's default response headers. */
const securityHeaders = {
  'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
  Pragma: 'no-cache',
  Expires: '0',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'X-XSS-Protection': '0',
};

/** Starts the demo server; resolves once it listens. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const timeoutSeconds = options.sessionTimeoutSeconds ?? 120;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, SessionData>();

  /** Tomcat's check: whole seconds idle, at least the timeout. */
  const expired = (session: SessionData) => Math.floor((now() - session.lastAccess) / 1000) >= timeoutSeconds;

  /** The first JSESSIONID the client sent whose session is alive (touched), as Tomcat picks it. */
  function findSession(call: Call): void {
    for (const id of call.cookies.get('JSESSIONID') ?? []) {
      const session = sessions.get(id);
      if (session && expired(session)) sessions.delete(id);
      else if (session) {
        session.lastAccess = now();
        call.sessionId = id;
        call.session = session;
        return;
      }
    }
  }

  function createSession(call: Call): SessionData {
    for (const [id, session] of sessions) if (expired(session)) sessions.delete(id);
    const session: SessionData = { lastAccess: now() };
    call.session = session;
    setSessionId(call, session);
    return session;
  }

  /** A new id for the session (Tomcat's changeSessionId), announced in a new JSESSIONID cookie at once. */
  function setSessionId(call: Call, session: SessionData): void {
    if (call.sessionId) sessions.delete(call.sessionId);
    call.sessionId = randomBytes(16).toString('hex').toUpperCase();
    sessions.set(call.sessionId, session);
    call.setCookies.push(`JSESSIONID=${call.sessionId}; Path=/; HttpOnly`);
  }

  function handle(call: Call): void {
    const { method, url } = call;
    const path = url.pathname;

    // CsrfFilter. The SPA handler loads the deferred token on every request, so a client without
    // the cookie gets one on this response, whatever happens next.
    const token = call.cookies.get('XSRF-TOKEN')?.[0] || issueCsrfToken(call);
    findSession(call);
    if (!safeMethods.has(method) && !csrfAccepted(call, token)) return sendError(call, 403);

    if (method === 'POST' && path === '/logout') return logout(call);
    if (method === 'POST' && path === '/login') return login(call);
    // The generated pages match these exact URLs only.
    if (method === 'GET' && path === '/login' && ['', '?error', '?logout'].includes(url.search)) {
      return send(call, 200, 'text/html;charset=UTF-8', loginPage(mask(token), url.search, call.session?.principal?.name));
    }
    if (method === 'GET' && path === '/logout') return send(call, 200, 'text/html;charset=UTF-8', logoutPage(mask(token)));
    if (method === 'GET' && path === '/default-ui.css') return send(call, 200, 'text/css;charset=UTF-8', css);

    // BasicAuthenticationFilter: one request only, no session; the session's user is kept when it is the same name.
    let principal = call.session?.principal;
    const authorization = call.req.headers.authorization?.trim() ?? '';
    if (/^basic/i.test(authorization)) {
      const credentials = basicCredentials(authorization);
      if (!credentials || credentials.username !== principal?.name) {
        principal = credentials && authenticate(credentials.username, credentials.password);
        if (!principal) return sendError(call, 401, { 'WWW-Authenticate': 'Basic realm="Realm"' });
      }
    }

    // RequestCacheAwareFilter: the request back from the login (`?continue`) reaches the controllers
    // with the saved request's headers, so they negotiate with its Accept (an error page, rendered in
    // a dispatch of its own, still goes by the request's).
    const saved = call.session?.savedRequest;
    if (saved && url.searchParams.has('continue') && path + url.search === saved.url) {
      delete call.session?.savedRequest;
      call.handlerAccept = parseAccept(saved.accept);
    }

    if (!principal && path !== '/api/public' && path !== '/api/csrf') return startAuthentication(call);
    if (path === '/api/admin' && !principal?.roles.includes('ROLE_ADMIN')) return sendError(call, 403);
    route(call, principal, token);
  }

  /** Spring MVC: the app's controllers, with its 404, 405, 406 and 415 answers. */
  function route(call: Call, principal: Principal | undefined, token: string): void {
    const name = principal?.name ?? 'anonymousUser';
    const handlers: Record<string, Record<string, () => void>> = {
      '/': {
        GET: () => {
          if (!accepts(call.handlerAccept, ['text/plain'], false)) return sendError(call, 406, { Accept: 'text/plain' });
          send(call, 200, 'text/plain;charset=UTF-8', `Hello, ${name}`);
        },
      },
      '/api/me': { GET: () => sendResult(call, 200, { name, roles: principal?.roles ?? [] }) },
      '/api/admin': { GET: () => sendResult(call, 200, { message: `Hello, administrator ${name}` }) },
      '/api/public': { GET: () => sendResult(call, 200, { message: 'public' }) },
      '/api/csrf': { GET: () => sendResult(call, 200, { headerName: 'X-XSRF-TOKEN', parameterName: '_csrf', token: mask(token) }) },
      '/api/notes': { POST: () => createNote(call, name) },
    };
    const methods = handlers[call.url.pathname];
    if (!methods) return sendError(call, 404);
    const handler = methods[call.method === 'HEAD' ? 'GET' : call.method];
    if (handler) return handler();
    const allowed = Object.keys(methods);
    if (call.method === 'OPTIONS') {
      const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
      return send(call, 200, undefined, '', { Allow: allow.join(','), 'Accept-Patch': '' });
    }
    sendError(call, 405, { Allow: allowed.join(', ') });
  }

  function login(call: Call): void {
    const username = (call.params.get('username') ?? '').trim();
    const principal = authenticate(username, call.params.get('password') ?? '');
    if (!principal) {
      // The failure handler keeps the exception in the session, creating one if needed.
      if (!call.session) createSession(call);
      return redirect(call, '/login?error');
    }
    // Session fixation protection first (Tomcat sets the new cookie at once), then
    // CsrfAuthenticationStrategy replaces the token; a session that did not exist is created last,
    // when the security context is saved.
    if (call.session) setSessionId(call, call.session);
    clearCsrfCookie(call);
    issueCsrfToken(call);
    const session = call.session ?? createSession(call);
    session.principal = principal;
    redirect(call, session.savedRequest?.url ?? '/');
  }

  function logout(call: Call): void {
    // The session is invalidated, its cookie is left alone; CsrfLogoutHandler clears the token.
    if (call.sessionId) sessions.delete(call.sessionId);
    clearCsrfCookie(call);
    if (isApiClient(call)) return send(call, 204, undefined, '');
    redirect(call, '/login?logout');
  }

  /** ExceptionTranslationFilter: save the request if it is one to come back to, then the entry point. */
  function startAuthentication(call: Call): void {
    const favicon = /\/favicon\.[^/]*$/.test(call.url.pathname);
    const saveable = !accepts(call.accept, ['application/json', 'multipart/form-data', 'text/event-stream']);
    if (call.method === 'GET' && !favicon && saveable && !call.xhr) {
      const url = `${call.url.pathname}${call.url.search ? `${call.url.search}&` : '?'}continue`;
      (call.session ?? createSession(call)).savedRequest = { url, accept: call.req.headers.accept };
    }
    // formLogin's entry point is registered first, and is the default when no matcher applies.
    if (!call.xhr && accepts(call.accept, ['application/xhtml+xml', 'image/*', 'text/html', 'text/plain'])) return redirect(call, '/login');
    if (call.xhr) return send(call, 401, undefined, '');
    if (isApiClient(call)) return sendError(call, 401, { 'WWW-Authenticate': 'Basic realm="Realm"' });
    redirect(call, '/login');
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
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const params = new URLSearchParams(url.search);
      const isForm = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      if (method === 'POST' && isForm) for (const [name, value] of new URLSearchParams(body)) params.append(name, value);
      const call: Call = {
        req,
        res,
        method,
        url,
        cookies: parseCookies(req.headers.cookie),
        params,
        body,
        accept: parseAccept(req.headers.accept),
        handlerAccept: parseAccept(req.headers.accept),
        xhr: req.headers['x-requested-with'] === 'XMLHttpRequest',
        setCookies: [],
      };
      try {
        handle(call);
      } catch {
        if (!res.headersSent) sendError(call, 500);
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

function authenticate(username: string, password: string): Principal | undefined {
  const account = users.get(username);
  return account?.password === password ? { name: username, roles: [account.role] } : undefined;
}

/** BasicAuthenticationConverter: undefined for an empty, undecodable or colon-less token. */
function basicCredentials(authorization: string): { username: string; password: string } | undefined {
  const encoded = authorization.slice(6);
  if (authorization.length <= 5 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * SpaCsrfTokenRequestHandler: a header with text must be the raw token (the cookie's value);
 * otherwise the `_csrf` parameter (or a blank header) must be the token XOR-masked, as rendered in forms.
 */
function csrfAccepted(call: Call, token: string): boolean {
  const header = call.req.headers['x-xsrf-token'];
  if (typeof header === 'string' && header.trim()) return sameToken(header, token);
  const masked = typeof header === 'string' ? header : call.params.get('_csrf');
  return masked !== null && sameToken(unmask(masked, token) ?? '', token);
}

function sameToken(actual: string, expected: string): boolean {
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** XorCsrfTokenRequestAttributeHandler's BREACH protection: base64url(random ‖ random XOR token), fresh per render. */
function mask(token: string): string {
  const bytes = Buffer.from(token);
  const random = randomBytes(bytes.length);
  return Buffer.concat([random, bytes.map((byte, i) => byte ^ (random[i] ?? 0))]).toString('base64url');
}

/** The token behind a masked value, or undefined when it is not base64url of twice the token's length. */
function unmask(masked: string, token: string): string | undefined {
  const bytes = /^[A-Za-z0-9_-]*={0,2}$/.test(masked) ? Buffer.from(masked, 'base64url') : Buffer.alloc(0);
  const half = Buffer.byteLength(token);
  if (bytes.length !== 2 * half) return undefined;
  return Buffer.from(bytes.subarray(half).map((byte, i) => byte ^ (bytes[i] ?? 0))).toString('utf8');
}

function issueCsrfToken(call: Call): string {
  const token = randomUUID();
  call.setCookies.push(`XSRF-TOKEN=${token}; Path=/`);
  return token;
}

/** How Tomcat 11 deletes a cookie: a past Expires, no Max-Age. */
function clearCsrfCookie(call: Call): void {
  call.setCookies.push('XSRF-TOKEN=; Expires=Thu, 01 Jan 1970 00:00:10 GMT; Path=/');
}

/** Every value of every cookie, in the order sent. */
function parseCookies(header: string | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  for (const pair of (header ?? '').split(';')) {
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals).trim();
    if (equals > 0) cookies.set(name, [...(cookies.get(name) ?? []), pair.slice(equals + 1).trim()]);
  }
  return cookies;
}

/** The Accept header's ranges; none means `*∕*`, as in Spring's content negotiation. */
function parseAccept(header: string | undefined): MediaRange[] {
  const ranges = (header ?? '').split(',').flatMap((part) => {
    const [type = '', ...params] = part.split(';');
    const [main, subtype] = type.trim().toLowerCase().split('/');
    return main && subtype ? [{ type: main, subtype, params: params.join(';').trim() }] : [];
  });
  return ranges.length ? ranges : [{ type: '*', subtype: '*', params: '' }];
}

const isAll = (range: MediaRange) => range.type === '*' && range.subtype === '*';

/** Spring's MediaTypeRequestMatcher: some accepted range is compatible with one of `types` (`*∕*` ignored unless `withAll`). */
function accepts(accept: readonly MediaRange[], types: readonly string[], ignoreAll = true): boolean {
  return accept.some((range) => (!ignoreAll || !isAll(range)) && types.some((type) => {
    const [main, subtype] = type.split('/');
    const wildcard = (a: string, b: string | undefined) => a === '*' || b === '*' || a === b || (b?.startsWith('*+') === true && a.endsWith(b.slice(1)));
    return wildcard(range.type, main) && wildcard(range.subtype, subtype);
  }));
}

/** httpBasic's matcher for API clients, which get the Basic challenge and a 204 logout. */
function isApiClient(call: Call): boolean {
  const rest = ['application/atom+xml', 'application/x-www-form-urlencoded', 'application/json', 'application/octet-stream', 'application/xml', 'multipart/form-data', 'text/xml'];
  const onlyAll = call.accept.every(isAll) && call.accept[0]?.params === '';
  return call.xhr || (!accepts(call.accept, ['text/html'], false) && accepts(call.accept, rest)) || onlyAll;
}

function createNote(call: Call, author: string): void {
  const type = (call.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!/^application\/([^/]+\+)?json$/.test(type)) return sendError(call, 415, { Accept: jsonTypes.join(', ') });
  let note: unknown;
  try {
    note = JSON.parse(call.body);
  } catch {
    return sendError(call, 400);
  }
  if (typeof note !== 'object' || note === null || Array.isArray(note)) return sendError(call, 400);
  sendResult(call, 201, { ...note, author });
}

/** A controller's JSON answer, or 406 when the client accepts no JSON. */
function sendResult(call: Call, status: number, body: unknown): void {
  if (!accepts(call.handlerAccept, jsonTypes, false)) return sendError(call, 406, { Accept: jsonTypes.join(', ') });
  send(call, status, 'application/json', JSON.stringify(body));
}

/** Spring Boot's /error: the Whitelabel page for HTML clients, its JSON body for JSON clients, else no body. */
function sendError(call: Call, status: number, headers: Record<string, string> = {}): void {
  const error = http.STATUS_CODES[status] ?? 'Error';
  if (accepts(call.accept, ['text/html'])) {
    return send(call, status, 'text/html;charset=UTF-8', whitelabel(status, error), { ...headers, 'Content-Language': 'und' });
  }
  if (!accepts(call.accept, ['application/json'], false)) return send(call, status, undefined, '', headers);
  const body = { timestamp: new Date().toISOString(), status, error, path: call.url.pathname };
  send(call, status, 'application/json', JSON.stringify(body), headers);
}

/** Tomcat's absolute Location. */
function redirect(call: Call, path: string): void {
  send(call, 302, undefined, '', { Location: `http://${call.req.headers.host ?? 'localhost'}${path}` });
}

function send(call: Call, status: number, contentType: string | undefined, body: string, headers: Record<string, string> = {}): void {
  const { res } = call;
  if (call.setCookies.length) res.setHeader('Set-Cookie', call.setCookies);
  const length = status === 204 ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
  // Tomcat sends no reason phrase.
  res.writeHead(status, '', { ...securityHeaders, ...(contentType ? { 'Content-Type': contentType } : {}), ...length, ...headers });
  res.end(body);
}

/** Java's Date.toString() in UTC: `Sat Nov 28 17:50:40 UTC 2026`. */
function javaDate(date: Date): string {
  const [weekday, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${weekday} ${month} ${day} ${time} UTC ${year}`;
}

function whitelabel(status: number, error: string): string {
  return '<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p>' +
    `<div id='created'>${javaDate(new Date())}</div><div>There was an unexpected error (type=${error}, status=${status}).</div></body></html>`;
}

/** Spring Security's generated pages share this frame. */
function page(title: string, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
    <meta name="description" content="">
    <meta name="author" content="">
    <title>${title}</title>
    <link href="/default-ui.css" rel="stylesheet" />
  </head>
  <body>
    <div class="content">
${content}
    </div>
  </body>
</html>`;
}

/** DefaultLoginPageGeneratingFilter's form; a logged-in user's name is shown read-only (Security 7). */
function loginPage(maskedToken: string, query: string, username: string | undefined): string {
  const alert = query === '?error'
    ? '<div class="alert alert-danger" role="alert">Invalid credentials</div>'
    : query === '?logout' ? '<div class="alert alert-success" role="alert">You have been signed out</div>' : '';
  const nameInput = username === undefined ? 'placeholder="Username" required autofocus' : `value="${username}" placeholder="Username" required readonly`;
  return page('Please sign in', `      <form class="login-form" method="post" action="/login">
        <h2>Please sign in</h2>
${alert}
        <p>
          <label for="username" class="screenreader">Username</label>
          <input type="text" id="username" name="username" ${nameInput}>
        </p>
        <p>
          <label for="password" class="screenreader">Password</label>
          <input type="password" id="password" name="password" placeholder="Password" required>
        </p>

<input name="_csrf" type="hidden" value="${maskedToken}" />
        <button type="submit" class="primary">Sign in</button>
      </form>


`);
}

function logoutPage(maskedToken: string): string {
  return page('Confirm Log Out?', `      <form class="logout-form" method="post" action="/logout">
        <h2>Are you sure you want to log out?</h2>
        <input name="_csrf" type="hidden" value="${maskedToken}" />
        <button class="primary" type="submit">Log Out</button>
      </form>`);
}

/** A stand-in for Spring Security's default-ui.css, so a browser on the login page is not sent to log in for it. */
const css = `body { font-family: system-ui, sans-serif; background: #f5f5f5; }
.content { max-width: 340px; margin: 4rem auto; padding: 1rem; background: #fff; }
.screenreader { position: absolute; clip: rect(0 0 0 0); }
input, button { display: block; width: 100%; box-sizing: border-box; margin: 0.5rem 0; padding: 0.5rem; }
.alert-danger { color: #a00; } .alert-success { color: #070; }
`;
