import { maskHeader } from '../../shared/mask';

/** Hides a secret entirely; only its presence shows. */
export function maskSecret(value: string): string {
  return value ? '****' : '';
}

/** A header value as logs show it: auth credentials, cookie values and tokens hidden (scheme, names and attributes kept). */
export function maskHeaderValue(name: string, value: string): string {
  return maskHeader(name, value, maskSecret);
}
