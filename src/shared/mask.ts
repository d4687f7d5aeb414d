// Which header values are secrets, and how to hide the secret part while keeping what helps debugging
// (the auth scheme, cookie names, Set-Cookie attributes). The policy for the value itself is the
// caller's: logs hide it entirely, the panel keeps enough to tell two session ids apart.

const secretHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'x-xsrf-token', 'x-api-key']);

/** Headers whose values are secrets. */
export function isSecretHeader(name: string): boolean {
  return secretHeaders.has(name.toLowerCase());
}

/** The header value with its secret parts passed through `mask`; other headers unchanged. */
export function maskHeader(name: string, value: string, mask: (secret: string) => string): string {
  const lower = name.toLowerCase();
  if (!secretHeaders.has(lower)) return value;
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const space = value.indexOf(' ');
    return space > 0 ? `${value.slice(0, space)} ${mask(value.slice(space + 1))}` : mask(value);
  }
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((pair) => {
        const equals = pair.indexOf('=');
        return equals < 0 ? pair : `${pair.slice(0, equals + 1)}${mask(pair.slice(equals + 1))}`;
      })
      .join(';');
  }
  if (lower === 'set-cookie') {
    const semicolon = value.indexOf(';');
    const end = semicolon < 0 ? value.length : semicolon;
    const equals = value.indexOf('=');
    if (equals < 0 || equals > end) return mask(value.slice(0, end)) + value.slice(end);
    return `${value.slice(0, equals + 1)}${mask(value.slice(equals + 1, end))}${value.slice(end)}`;
  }
  return mask(value);
}
