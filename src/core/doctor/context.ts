import type { CookieRecord, Exchange, SessionCookieLifecycle } from '../model/exchange';
import type { RequestDirectives } from '../model/request';
import type { TokenHistory } from '../auth/tokenHistory';
import type { Clock } from '../ports';

/** The CSRF names a Spring app uses (CookieCsrfTokenRepository defaults unless configured). */
export interface CsrfNames {
  readonly cookieName: string;
  readonly headerName: string;
  readonly fieldName: string;
}

/** Everything the doctor may look at besides the exchange itself. */
export interface DoctorContext {
  /** Earlier exchanges of this session, oldest first, without the one being diagnosed. */
  readonly history: readonly Exchange[];
  readonly lifecycles: readonly SessionCookieLifecycle[];
  /** Every cookie in the session's jar, after the exchange stored its cookies. */
  readonly jar: readonly CookieRecord[];
  /** JSESSIONID, SESSION and configured names. */
  readonly sessionCookieNames: readonly string[];
  readonly csrf: CsrfNames;
  readonly directives: Pick<RequestDirectives, 'noCookieJar' | 'csrf'>;
  /** Names of the login-like requests in the file, best first; the "re-run login" fix names one. */
  readonly loginRequestNames: readonly string[];
  /** Paths that are login pages (a Location ending with one is a redirect to login); defaults to defaultLoginPaths. */
  readonly loginPaths?: readonly string[];
  /** The request body as sent, when it was text; lets the doctor see a `_csrf` form field. */
  readonly requestBody?: string;
  /** The lifetime of the session's OAuth2 token with this value, when the session holds it (`$auth.token`). */
  readonly tokenHistory?: (accessToken: string) => TokenHistory | undefined;
  readonly clock: Clock;
}

export const defaultCsrfNames: CsrfNames = { cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN', fieldName: '_csrf' };

export const defaultLoginPaths: readonly string[] = ['/login', '/signin', '/sign-in', '/logon', '/auth', '/authenticate'];
