// Secrets in the panel are masked by default; a toggle reveals them (the user's own session).

const secretHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'x-xsrf-token', 'x-api-key']);

/** Headers whose values are secrets. */
export function isSecretHeader(name: string): boolean {
  return secretHeaders.has(name.toLowerCase());
}

/**
 * A masked, shortened form of a secret: enough to tell two session ids apart (first and last four
 * characters of long values), never the whole value. Short values become bullets.
 */
export function maskValue(value: string): string {
  if (value.length === 0) return '';
  if (value.length < 16) return '•'.repeat(Math.min(value.length, 8));
  return `${value.slice(0, 4)}…${value.slice(-4)}`;
}

/** Header value as shown: secrets masked unless revealed. `Authorization: Basic xyz` keeps its scheme. */
export function displayHeaderValue(name: string, value: string, reveal: boolean): string {
  if (reveal || !isSecretHeader(name)) return value;
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const space = value.indexOf(' ');
    if (space > 0) return `${value.slice(0, space)} ${maskValue(value.slice(space + 1))}`;
  }
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq < 0 ? pair : `${pair.slice(0, eq + 1)}${maskValue(pair.slice(eq + 1))}`;
      })
      .join(';');
  }
  if (lower === 'set-cookie') {
    const eq = value.indexOf('=');
    const semi = value.indexOf(';');
    if (eq > 0 && (semi < 0 || eq < semi)) {
      const end = semi < 0 ? value.length : semi;
      return `${value.slice(0, eq + 1)}${maskValue(value.slice(eq + 1, end))}${value.slice(end)}`;
    }
  }
  return maskValue(value);
}
