// A deliberately small HTTP client for proving a server's wire behaviour: plain fetch, no
// redirects followed, cookies kept by name and Path only (enough for one loopback host).
export interface ClientCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

export interface SendOptions {
  readonly headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Record<string, string>;
  /** Sent as application/json. */
  readonly json?: unknown;
  /** Sent as is (set Content-Type in headers), when neither form nor json is given: e.g. broken JSON. */
  readonly body?: string;
}

export interface CookieClientOptions {
  /**
   * Also delete a cookie whose `Expires` is in the past, as browsers do. Off by default: only
   * `Max-Age=0` deletes. (Tomcat 10.1+/11 clears cookies with `Expires=Thu, 01 Jan 1970 00:00:10 GMT`
   * and no Max-Age.)
   */
  readonly expiredDeletes?: boolean;
}

export interface ClientResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** Raw Set-Cookie header values, in order. */
  readonly setCookies: readonly string[];
  readonly text: string;
}

export class CookieClient {
  private readonly jar = new Map<string, ClientCookie>();

  constructor(
    readonly baseUrl: string,
    private readonly options: CookieClientOptions = {},
  ) {}

  /** The stored cookie of that name whose Path is `path`. */
  cookie(name: string, path = '/'): string | undefined {
    return this.jar.get(`${name} ${path}`)?.value;
  }

  cookies(): ClientCookie[] {
    return [...this.jar.values()];
  }

  async send(method: string, path: string, options: SendOptions = {}): Promise<ClientResponse> {
    const headers = new Headers(options.headers);
    const cookieHeader = this.cookieHeader(path);
    if (cookieHeader) headers.set('Cookie', cookieHeader);
    let body = options.body;
    if (options.form) {
      headers.set('Content-Type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(options.json);
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const setCookie of setCookies) this.store(setCookie);
    return { status: response.status, statusText: response.statusText, headers: response.headers, setCookies, text: await response.text() };
  }

  private store(setCookie: string): void {
    const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const path = attribute('path') ?? '/';
    const expires = attribute('expires');
    const expired = this.options.expiredDeletes === true && expires !== undefined && Date.parse(expires) <= Date.now();
    if (attribute('max-age') === '0' || expired) this.jar.delete(`${name} ${path}`);
    else this.jar.set(`${name} ${path}`, { name, value: pair.slice(equals + 1), path });
  }

  /** Cookies whose Path matches, longest Path first, as browsers order them. */
  private cookieHeader(requestPath: string): string {
    const pathname = new URL(requestPath, this.baseUrl).pathname;
    return this.cookies()
      .filter((c) => c.path === '/' || pathname === c.path || pathname.startsWith(`${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

/** The value of the login page's hidden `_csrf` input. */
export function hiddenCsrf(html: string): string | undefined {
  return /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/.exec(html)?.[1];
}

/** The cookie name of each Set-Cookie, in order: what one response set. */
export function setCookieNames(setCookies: readonly string[]): string[] {
  return setCookies.map((c) => c.slice(0, c.indexOf('=')));
}
