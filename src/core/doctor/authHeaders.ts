import type { HeaderList } from '../model/exchange';
import { headerValue, headerValues } from '../model/headers';

/** One `WWW-Authenticate` challenge: `Bearer error="invalid_token", error_description="…"`. */
export interface Challenge {
  /** Lower-case scheme: `basic`, `bearer`. */
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
  readonly raw: string;
}

/** The request's `Authorization` header, split into scheme and credentials. */
export interface Credentials {
  readonly scheme: string;
  readonly value: string;
  readonly raw: string;
}

const paramPattern = /([\w-]+)\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^\s,]+))/g;

/** The first challenge of the response's `WWW-Authenticate` header. */
export function challengeOf(headers: HeaderList): Challenge | undefined {
  const raw = headerValues(headers, 'WWW-Authenticate')[0]?.trim();
  const match = raw ? /^([\w-]+)\s*(.*)$/s.exec(raw) : null;
  if (!raw || !match) return undefined;
  const params = new Map<string, string>();
  for (const [, key = '', quoted, bare] of (match[2] ?? '').matchAll(paramPattern)) {
    params.set(key.toLowerCase(), (quoted ?? bare ?? '').replace(/\\(.)/g, '$1'));
  }
  return { scheme: (match[1] ?? '').toLowerCase(), params, raw };
}

/** The `Authorization` header that was sent, if any. */
export function credentialsOf(headers: HeaderList): Credentials | undefined {
  const raw = headerValue(headers, 'Authorization')?.trim();
  if (!raw) return undefined;
  const space = raw.indexOf(' ');
  return space < 0
    ? { scheme: raw.toLowerCase(), value: '', raw }
    : { scheme: raw.slice(0, space).toLowerCase(), value: raw.slice(space + 1).trim(), raw };
}

/** The user name inside Basic credentials (never the password). */
export function basicUserName(credentials: Credentials): string | undefined {
  const decoded = Buffer.from(credentials.value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** A JWT's `exp` in epoch ms, read without verifying the signature; undefined when not a JWT or no exp. */
export function jwtExpiry(token: string): { readonly isJwt: boolean; readonly expiresAt?: number } {
  const parts = token.split('.');
  if (parts.length !== 3) return { isJwt: false };
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return { isJwt: false };
    const exp = (payload as Record<string, unknown>).exp;
    return typeof exp === 'number' ? { isJwt: true, expiresAt: exp * 1000 } : { isJwt: true };
  } catch {
    return { isJwt: false };
  }
}
