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
  readonly fieldName: string;
}

/** A field of a url-encoded or multipart body. */
export function formField(body: string, contentType: string, name: string): string | undefined {
  if (/multipart\/form-data/i.test(contentType)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`name="${escaped}"[^\\r\\n]*\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n([^\\r\\n]*)`).exec(body)?.[1];
  }
  if (/application\/x-www-form-urlencoded/i.test(contentType)) return new URLSearchParams(body).get(name) ?? undefined;
  return undefined;
}

/**
 * The token a masked CSRF value stands for. Spring Security 6+ (XorCsrfTokenRequestAttributeHandler) renders
 * and expects base64url(random ‖ random XOR token), different on every render; undefined when the value is
 * not one (a raw token, as the XSRF-TOKEN cookie holds it).
 */
export function unmaskCsrfToken(value: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+=*$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  const half = bytes.length / 2;
  const token = Buffer.alloc(half);
  for (let index = 0; index < half; index++) token[index] = bytes[index]! ^ bytes[half + index]!;
  const text = token.toString('latin1');
  return /^[\x21-\x7e]+$/.test(text) ? text : undefined;
}

/** The token behind a CSRF value: unmasked when masked, else the value itself. */
export function csrfTokenOf(value: string): string {
  return unmaskCsrfToken(value) ?? value;
}

/**
 * The CSRF header to add to an unsafe request in `auto` mode: the jar's current token cookie for the URL,
 * under the configured header name. Undefined when off, safe, the jar has no token, or the request carries
 * its own token — the header, or the form field (Spring reads the header first, so an added raw cookie
 * value would override a form's masked token and fail on Spring Security 6+).
 */
export function csrfHeaderFor(
  request: { readonly method: string; readonly url: string; readonly headers: HeaderList; readonly body?: string | Uint8Array },
  settings: CsrfSettings,
  cookieValue: (name: string, url: string) => string | undefined,
): readonly [string, string] | undefined {
  if (settings.mode !== 'auto' || !isUnsafeMethod(request.method)) return undefined;
  const headerName = settings.headerName.toLowerCase();
  if (request.headers.some(([name]) => name.toLowerCase() === headerName)) return undefined;
  const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (typeof request.body === 'string' && formField(request.body, contentType, settings.fieldName) !== undefined) return undefined;
  const token = cookieValue(settings.cookieName, request.url);
  return token === undefined || token === '' ? undefined : [settings.headerName, token];
}
