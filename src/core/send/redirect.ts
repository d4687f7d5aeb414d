import { HttpSessionError } from '../errors';
import type { HeaderList } from '../model/exchange';
import { isSecretName } from '../secrets';

/** What one hop sends: the user's headers (jar cookies are merged per hop, later). */
export interface HopRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderList;
  readonly body?: string | Uint8Array;
}

/** True for the statuses that carry a Location to follow. */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

// Fetch spec "request-body-header names": they describe a body that a method change drops.
const bodyHeaders = new Set(['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location', 'transfer-encoding']);

/**
 * The request for the next hop, as the fetch spec does it: 303 → GET (except HEAD), 301/302 turn POST into GET,
 * 307/308 keep method and body; a body dropped takes its headers with it; Authorization, a written Cookie
 * header and secret-named headers (API keys, tokens) do not cross to another origin.
 */
export function nextHop(previous: HopRequest, status: number, location: string): HopRequest {
  let target: URL;
  try {
    target = new URL(location, previous.url);
  } catch (cause) {
    throw new HttpSessionError('HS_INVALID_URL', `The server redirected to an invalid URL: ${location}`, { cause });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HttpSessionError('HS_INVALID_URL', `The server redirected to an unsupported URL: ${target.href}`);
  }
  const method = previous.method.toUpperCase();
  const toGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  const crossOrigin = new URL(previous.url).origin !== target.origin;
  const headers = previous.headers.filter(([name]) => {
    const lower = name.toLowerCase();
    if (toGet && bodyHeaders.has(lower)) return false;
    // Credentials are meant for one origin (the fetch spec drops Authorization; API keys and tokens are alike).
    if (crossOrigin && isSecretName(lower)) return false;
    return lower !== 'host';
  });
  return toGet
    ? { method: 'GET', url: target.href, headers }
    : { method: previous.method, url: target.href, headers, ...(previous.body !== undefined ? { body: previous.body } : {}) };
}
