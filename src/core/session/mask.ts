import { parseCookieHeader } from '../send/cookieHeader';

/** Hides a secret entirely; only its presence shows. */
export function maskSecret(value: string): string {
  return value ? '****' : '';
}

/** Masks the secret part of a header value: auth credentials (scheme kept), cookie values (names and attributes kept). */
export function maskHeaderValue(name: string, value: string): string {
  switch (name.toLowerCase()) {
    case 'authorization':
    case 'proxy-authorization': {
      const space = value.indexOf(' ');
      return space > 0 ? `${value.slice(0, space)} ${maskSecret(value.slice(space + 1))}` : maskSecret(value);
    }
    case 'cookie':
      return parseCookieHeader(value)
        .map((cookie) => (cookie.name ? `${cookie.name}=${maskSecret(cookie.value)}` : maskSecret(cookie.value)))
        .join('; ');
    case 'set-cookie': {
      const semicolon = value.indexOf(';');
      const pair = semicolon < 0 ? value : value.slice(0, semicolon);
      const equals = pair.indexOf('=');
      const masked = equals < 0 ? maskSecret(pair) : `${pair.slice(0, equals)}=${maskSecret(pair.slice(equals + 1))}`;
      return semicolon < 0 ? masked : masked + value.slice(semicolon);
    }
    default:
      return value;
  }
}
