// The one place a request's `Authorization` header is made. A scheme turns credentials into the
// header's value when a request goes out; the session applies it to requests that do not write their
// own. Basic and Bearer live here; the OAuth2 grants (acquire, cache, refresh a token) and Digest
// implement the same interface.
import type { HeaderList } from '../model/exchange';
import { hasHeader } from '../model/headers';

export interface AuthScheme {
  /** `Basic`, `Bearer`, … as the header names it. */
  readonly scheme: string;
  /** The whole header value for a request to `url`. Async: a token may have to be fetched or refreshed first. */
  authorization(url: string, signal?: AbortSignal): Promise<string>;
}

/** Session-level credentials, the `requests.Session.auth` way. */
export type AuthConfig = { readonly kind: 'basic'; readonly user: string; readonly password: string } | { readonly kind: 'bearer'; readonly token: string };

export function basicAuth(user: string, password: string): AuthScheme {
  const value = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  return { scheme: 'Basic', authorization: async () => value };
}

export function bearerAuth(token: string): AuthScheme {
  return { scheme: 'Bearer', authorization: async () => `Bearer ${token}` };
}

export function authSchemeFor(config: AuthConfig): AuthScheme {
  switch (config.kind) {
    case 'basic':
      return basicAuth(config.user, config.password);
    case 'bearer':
      return bearerAuth(config.token);
    default: {
      const unknown: never = config;
      throw new Error(`unknown auth kind ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * `Authorization: Basic user password` and `Basic user:password`, as REST Client and the JetBrains
 * HTTP Client let users write them, encoded as the header must be. Base64 has no space or colon, so a
 * value with either is plain credentials; an already encoded value is left alone.
 */
export function encodeBasicCredentials(value: string): string {
  const match = /^\s*basic\s+(.+?)\s*$/i.exec(value);
  if (!match || !/[\s:]/.test(match[1])) return value;
  const credentials = match[1];
  const colon = credentials.indexOf(':');
  const space = credentials.search(/\s/);
  // `user pass` splits at the first space (JetBrains); `user:pass` is already the pair.
  const pair = colon !== -1 && (space === -1 || colon < space) ? credentials : `${credentials.slice(0, space)}:${credentials.slice(space).trimStart()}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/**
 * The headers as they go out: a hand-written Basic header encoded; else, when the request writes no
 * `Authorization`, the session's scheme adds one.
 */
export async function withAuthorization(headers: HeaderList, url: string, scheme: AuthScheme | undefined, signal?: AbortSignal): Promise<HeaderList> {
  if (hasHeader(headers, 'authorization')) {
    return headers.map(([name, value]) => (name.toLowerCase() === 'authorization' ? [name, encodeBasicCredentials(value)] : [name, value]));
  }
  return scheme ? [['Authorization', await scheme.authorization(url, signal)], ...headers] : headers;
}
