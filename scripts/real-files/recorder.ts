import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One request as the recorder received it (proxied or direct, http or https). */
export interface RecordedRequest {
  method: string;
  host: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Property paths a file reads from responses: JetBrains `response.body.a.b`, `$.a.b`, REST Client `{{req.response.body.$.a.b}}`. */
export function pathsAskedFor(fileText: string): string[][] {
  const found = new Set<string>();
  // `response.body.a[0].b`, `response.body[0]['_id']` (a root index is a key "0": JS reads an object so too), `$.a.b`.
  const patterns = [/response\.body((?:\.\$)?(?:\.[\w$]+|\[\d+\]|\[['"][\w$-]+['"]\])+)/g, /(?<![\w}])\$\.([\w.[\]]+)/g, /jsonPath\([^,]+,\s*["']\$\.([\w.[\]]+)/g];
  for (const pattern of patterns) for (const match of fileText.matchAll(pattern)) found.add(match[1]);
  return [...found].map((path) => path.split(/\.|\[(\d+)\]|\[['"]([\w$-]+)['"]\]/).filter((part) => part !== undefined && part !== '' && part !== '$'));
}

/** Cookies a file reads from responses: REST Client-style `{{login.response.cookies.token}}` (`.value` after it too). */
export function cookiesAskedFor(fileText: string): string[] {
  const names = [...fileText.matchAll(/\.response\.cookies\.([^\s.}]+)/g)].map((match) => match[1]!);
  return [...new Set(names)].filter((name) => name !== 'JSESSIONID');
}

/** A plausible value for a property, by its name: ids are numbers, tokens look like JWTs. */
function leafFor(name: string): Json {
  if (/(^|_)id$|Id$|^id$|count|total|size|page/i.test(name)) return 1;
  if (/token|jwt|secret/i.test(name)) return 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZWNvcmRlciJ9.c2lnbmF0dXJl';
  if (/^(is|has)[A-Z]|enabled|active|success/.test(name)) return true;
  return `${name}-value`;
}

const commonFields = ['id', 'token', 'access_token', 'accessToken', 'refresh_token', 'refreshToken', 'jwt', 'userId', 'name', 'email', 'status'];

/** A JSON body that answers the common chaining fields and every path the file asks for. */
export function plausibleBody(paths: string[][]): Json {
  const root: { [key: string]: Json } = Object.fromEntries(commonFields.map((field) => [field, leafFor(field)]));
  root.data = Object.fromEntries(commonFields.map((field) => [field, leafFor(field)]));
  for (const path of paths) {
    let node: Json = root;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[index + 1]);
      const container = node as { [key: string]: Json };
      const existing = container[part];
      if (last) {
        if (existing === undefined || typeof existing !== 'object') container[part] = leafFor(part);
        return;
      }
      if (existing === null || typeof existing !== 'object') container[part] = nextIsIndex ? [] : {};
      const child = container[part] as Json[] | { [key: string]: Json };
      if (Array.isArray(child) && /^\d+$/.test(path[index + 1])) {
        const at = Number(path[index + 1]);
        while (child.length <= at) child.push({});
      }
      node = child;
    });
  }
  return root;
}

/** Paths that look like logging in get a session cookie, as Spring and ASP.NET answer. */
export function looksLikeLogin(path: string): boolean {
  return /log-?in|sign-?in|auth|token|session/i.test(path);
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'recorder-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=recorder', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}

export interface Recorder {
  /** http://127.0.0.1:PORT — use as HTTP_PROXY and HTTPS_PROXY. */
  proxyUrl: string;
  /** Requests received since the last take(), in order. */
  take(): RecordedRequest[];
  /** Sets the answer for the file about to run: its body, and the cookies a login sets besides the session's. */
  answerWith(body: Json, cookies?: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * A loopback server that is also a proxy: absolute-form requests (http through a proxy) and direct ones are
 * answered alike; CONNECT (https through a proxy) is terminated with a self-signed certificate, so clients run
 * with verification off (NODE_TLS_REJECT_UNAUTHORIZED=0).
 */
export async function startRecorder(): Promise<Recorder> {
  let received: RecordedRequest[] = [];
  let answer: Json = plausibleBody([]);
  let loginCookies: string[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'unknown'}`);
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
      received.push({ method: request.method ?? '', host: url.host, path: url.pathname + url.search, headers, body: Buffer.concat(chunks).toString('utf8') });
      const cookies = looksLikeLogin(url.pathname) ? ['JSESSIONID=recorder0session; Path=/; HttpOnly', ...loginCookies.map((name) => `${name}=recorder0${name}; Path=/`)] : [];
      response.writeHead(200, { 'content-type': 'application/json', ...(cookies.length > 0 && { 'set-cookie': cookies }) });
      response.end(JSON.stringify(answer));
    });
  };
  const tlsServer = createTlsServer(selfSignedCertificate(), handle);
  const server: Server = createServer(handle);
  server.on('connect', (_request: IncomingMessage, socket: Socket) => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    tlsServer.emit('connection', socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = received;
      received = [];
      return taken;
    },
    answerWith: (body, cookies = []) => {
      answer = body;
      loginCookies = [...cookies];
    },
    close: () => {
      server.closeAllConnections();
      tlsServer.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
