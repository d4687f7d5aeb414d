import type { HeaderList } from '../model/exchange';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** True for methods Spring's CsrfFilter checks (everything but GET, HEAD, OPTIONS, TRACE). */
export function isUnsafeMethod(method: string): boolean {
  return !safeMethods.has(method.toUpperCase());
}

export interface CsrfSettings {
  readonly mode: 'auto' | 'off';
  readonly cookieName: string;
  readonly headerName: string;
}

/**
 * The CSRF header to add to an unsafe request in `auto` mode: the jar's current token cookie for the URL,
 * under the configured header name. Undefined when off, safe, already present, or the jar has no token.
 */
export function csrfHeaderFor(
  request: { readonly method: string; readonly url: string; readonly headers: HeaderList },
  settings: CsrfSettings,
  cookieValue: (name: string, url: string) => string | undefined,
): readonly [string, string] | undefined {
  if (settings.mode !== 'auto' || !isUnsafeMethod(request.method)) return undefined;
  const headerName = settings.headerName.toLowerCase();
  if (request.headers.some(([name]) => name.toLowerCase() === headerName)) return undefined;
  const token = cookieValue(settings.cookieName, request.url);
  return token === undefined || token === '' ? undefined : [settings.headerName, token];
}
