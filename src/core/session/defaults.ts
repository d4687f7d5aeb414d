// The session's defaults, the `requests.Session` attributes (headers, auth, proxy, TLS, redirects,
// limits, CSRF): their own module so the dispatcher can read them without importing the session.
import type { AuthConfig } from '../auth/authScheme';
import type { HeaderList } from '../model/exchange';

/** PEM text (the settings name files; their adapter reads them). */
export interface TlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized?: boolean;
}

export interface SessionDefaults {
  /** Sent with every request unless the request writes the same header (user-agent etc.). */
  headers?: HeaderList;
  /** Sent as `Authorization` by requests that write none. */
  auth?: AuthConfig;
  proxy?: string;
  noProxy?: string;
  /** Keyed by `host` or `host:port`. */
  tls?: Record<string, TlsOptions>;
  followRedirects?: boolean;
  maxRedirects?: number;
  maxBodyBytes?: number;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  sessionCookieNames?: string[];
  /** CSRF handling; `# @csrf auto|off` overrides `mode` per request. Spring's CookieCsrfTokenRepository names by default. */
  csrf?: CsrfDefaults;
}

export interface CsrfDefaults {
  /** `auto` (default): unsafe requests carry the jar's token cookie as the CSRF header unless they write it. */
  mode?: 'auto' | 'off';
  cookieName?: string;
  headerName?: string;
  fieldName?: string;
}
