// The redirect side of the Authorization Code grant for a native app (RFC 8252 §7.3): a one-shot HTTP
// listener on the loopback interface that receives the authorization code from the user's browser.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CodeChallengeMethod = 'S256' | 'plain';

/** A PKCE verifier (RFC 7636 §4.1: 43 characters of base64url) and its challenge. */
export function pkcePair(method: CodeChallengeMethod, verifier = randomBytes(32).toString('base64url')): { verifier: string; challenge: string } {
  return { verifier, challenge: method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier };
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface LoopbackRedirect {
  /** The redirect URI to send: the configured one, with the port the listener got when it asked for any. */
  readonly redirectUri: string;
  /** The code the browser brought back, after checking its `state`; rejects on an error answer or the timeout. */
  readonly code: Promise<string>;
  close(): void;
}

/**
 * Listens where `redirectUrl` points (a loopback host; port 0 or none: any free port) for one redirect
 * with `state`. The browser gets a short page saying whether to close the tab or look at the editor.
 */
export async function listenForRedirect(redirectUrl: string, state: string, timeoutMs: number, where: string, signal?: AbortSignal): Promise<LoopbackRedirect> {
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    throw new Error(`${where}: 'Redirect URL' ${redirectUrl} is not a URL`);
  }
  if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname)) {
    throw new Error(`${where}: 'Redirect URL' must be http:// on 127.0.0.1, [::1] or localhost (the code comes back to a listener on this machine), not ${redirectUrl}`);
  }
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((request, response) => {
    const query = new URL(request.url ?? '/', url).searchParams;
    if (new URL(request.url ?? '/', url).pathname !== url.pathname) return answer(response, 404, 'Not the redirect path.');
    if (query.get('state') !== state) return answer(response, 400, 'The state does not match this sign-in: it was not started here, or was started again. Nothing was accepted.');
    const error = query.get('error');
    const received = query.get('code');
    if (error || !received) {
      answer(response, 400, 'The authorization server refused the sign-in. The editor says why.');
      return settle.reject(new Error(`${where}: the authorization server answered ${error ?? 'without a code'}${query.get('error_description') ? ` (${query.get('error_description')})` : ''}`));
    }
    answer(response, 200, 'Signed in. You can close this tab.');
    settle.resolve(received);
  });
  const host = url.hostname === '[::1]' ? '::1' : url.hostname === 'localhost' ? 'localhost' : '127.0.0.1';
  server.listen(Number(url.port || 0), host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
  } catch (error) {
    throw new Error(`${where}: cannot listen for the redirect on ${url.host}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  url.port = String((server.address() as AddressInfo).port);
  const timer = setTimeout(() => settle.reject(new Error(`${where}: no authorization code reached ${url.origin}${url.pathname} within ${Math.ceil(timeoutMs / 1000)} s (was the sign-in finished in the browser?)`)), timeoutMs);
  const onAbort = (): void => settle.reject(new Error(`${where}: the sign-in was cancelled`));
  signal?.addEventListener('abort', onAbort, { once: true });
  const close = (): void => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    server.close();
  };
  // Closed once the code (or the error) is in: the listener serves one sign-in.
  code.then(close, close);
  return { redirectUri: url.toString(), code, close };
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
  response.end(`<!doctype html><meta charset="utf-8"><title>HTTP Session</title><p>${text}</p>`);
}
