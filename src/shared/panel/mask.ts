// Secrets in the panel are masked by default; a toggle reveals them (the user's own session).
import { maskHeader } from '../mask';

export { isSecretHeader } from '../mask';

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
  return reveal ? value : maskHeader(name, value, maskValue);
}
