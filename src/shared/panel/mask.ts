// Secrets in the panel are masked by default; a toggle reveals them (the user's own session). The policy
// is the core's (core/secrets.ts), so the panel, logs and stored history agree.
import { maskHeaderValue } from '../../core/secrets';

export { isSecretName as isSecretHeader, maskSecret } from '../../core/secrets';

/** Header value as shown: secrets masked unless revealed. `Authorization: Basic xyz` keeps its scheme. */
export function displayHeaderValue(name: string, value: string, reveal: boolean): string {
  return reveal ? value : maskHeaderValue(name, value);
}
