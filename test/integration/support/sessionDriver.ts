// Drives the engine's Session against a real server the way a request file would, and reads what
// the doctor said: shared by the integration tests of the real Spring Boot apps.
import assert from 'node:assert/strict';
import { formatTime } from '../../../src/core/doctor/evidence';
import type { Exchange, Finding, FindingId, HeaderList, HttpRequest } from '../../../src/core/model/exchange';
import type { RequestDirectives } from '../../../src/core/model/request';
import { Session, type SessionDefaults } from '../../../src/core/session';
import { hiddenCsrf } from './cookieClient';

export interface Send {
  readonly method?: string;
  readonly name?: string;
  readonly headers?: HeaderList;
  readonly form?: Record<string, string>;
  readonly json?: unknown;
  readonly options?: RequestDirectives;
}

export const acceptJson: HeaderList = [['Accept', 'application/json']];
export const acceptHtml: HeaderList = [['Accept', 'text/html']];

/** One engine Session against one server; the file it pretends to run from has a login request named 'login'. */
export class SessionDriver {
  readonly session: Session;
  private readonly hints = { loginRequestNames: ['login'] };

  constructor(
    readonly base: string,
    defaults?: SessionDefaults,
  ) {
    this.session = new Session({ name: 'default', env: {}, ...(defaults ? { defaults } : {}) });
  }

  request(url: string, spec: Send = {}): HttpRequest {
    const headers: [string, string][] = [...(spec.headers ?? [])].map(([name, value]) => [name, value]);
    let body: string | undefined;
    if (spec.form) {
      headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
      body = new URLSearchParams(spec.form).toString();
    } else if (spec.json !== undefined) {
      headers.push(['Content-Type', 'application/json']);
      body = JSON.stringify(spec.json);
    }
    return {
      method: spec.method ?? (body === undefined ? 'GET' : 'POST'),
      url: url.startsWith('http') ? url : `${this.base}${url}`,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(spec.name ? { name: spec.name } : {}),
      ...(spec.options ? { options: spec.options } : {}),
    };
  }

  /** Sends and asserts that an HTTP response came back. */
  async send(url: string, spec: Send = {}): Promise<Exchange> {
    const exchange = await this.session.send(this.request(url, spec), undefined, this.hints);
    assert.equal(exchange.error, undefined, exchange.error?.message);
    return exchange;
  }

  /**
   * Spring's form login as a request file writes it: GET the login page, POST the credentials with the
   * page's `_csrf` field (what `{{loginPage.response.csrf}}` gives).
   */
  async login({ at = '', username = 'user', password = 'password', extra = {} }: { at?: string; username?: string; password?: string; extra?: Record<string, string> } = {}): Promise<{ page: Exchange; login: Exchange }> {
    const page = await this.send(`${at}/login`, { name: 'loginPage', headers: acceptHtml });
    assert.equal(page.response?.status, 200);
    const csrf = hiddenCsrf(text(page));
    assert.ok(csrf, 'the login page renders a _csrf field');
    const login = await this.send(`${at}/login`, { name: 'login', form: { username, password, _csrf: csrf, ...extra } });
    return { page, login };
  }

  cookie(name: string, path = '/'): string | undefined {
    return this.session.cookieValue(name, `${this.base}${path}`);
  }

  dispose(): void {
    this.session.dispose();
  }
}

/** The drivers a describe block makes, disposed together in its after(). */
export class DriverPool {
  private readonly drivers: SessionDriver[] = [];

  driver(base: string, defaults?: SessionDefaults): SessionDriver {
    const created = new SessionDriver(base, defaults);
    this.drivers.push(created);
    return created;
  }

  dispose(): void {
    this.drivers.splice(0).forEach((created) => created.dispose());
  }
}

export function text(exchange: Exchange): string {
  return new TextDecoder().decode(exchange.response?.body);
}

export function status(exchange: Exchange): number | undefined {
  return exchange.response?.status;
}

export function findingIds(exchange: Exchange): FindingId[] {
  return exchange.findings.map((finding) => finding.id);
}

/** The only finding of an exchange, which must have `id`. */
export function only(exchange: Exchange, id: FindingId): Finding {
  assert.deepEqual(findingIds(exchange), [id], JSON.stringify(exchange.findings, null, 2));
  return exchange.findings[0]!;
}

export function hasLine(finding: Finding, expected: string | RegExp): void {
  const found = finding.evidence.some((line) => (typeof expected === 'string' ? line === expected : expected.test(line)));
  assert.ok(found, `evidence of ${finding.id} lacks\n  ${expected}\nit has\n  ${finding.evidence.join('\n  ')}`);
}

/** How evidence names a request: `'login' (POST http://127.0.0.1:PORT/login) at 2024-…Z`. */
export function named(exchange: Exchange, method: string, url: string): string {
  return `'${exchange.request.name}' (${method} ${url}) at ${formatTime(exchange.startedAt)}`;
}

export const rerunLogin = { title: "Re-run 'login' to log in, then send this request again", action: { kind: 'rerun-request', requestName: 'login' } };
