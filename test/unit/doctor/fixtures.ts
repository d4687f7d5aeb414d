// Recorded-exchange builders for the doctor tests: what a Spring Security + Boot app sends on the wire.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  CookieRecord,
  Exchange,
  Finding,
  FindingId,
  FixAction,
  HeaderList,
  RedirectHop,
  RejectedCookie,
  SentCookie,
  SessionCookieEvent,
  SessionCookieLifecycle,
} from '../../../src/core/model/exchange';
import { defaultCsrfNames, type DoctorContext } from '../../../src/core/doctor/context';
import { defaultSessionCookieNames } from '../../../src/core/session/lifecycle';
import { diagnose } from '../../../src/core/doctor/diagnose';

export const origin = 'http://localhost:8080';
/** 2024-05-01T10:00:00Z */
export const t0 = Date.parse('2024-05-01T10:00:00Z');
export const minutes = (count: number): number => count * 60_000;

/** Headers every Spring Security response carries. */
const springHeaders: HeaderList = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-XSS-Protection', '1; mode=block'],
  ['Cache-Control', 'no-cache, no-store, max-age=0, must-revalidate'],
  ['X-Frame-Options', 'DENY'],
];

/** Spring Boot's JSON error body. */
export function bootError(status: number, error: string, message: string, path: string): string {
  return JSON.stringify({ timestamp: '2024-05-01T10:00:00.000+00:00', status, error, message, path });
}

export function cookie(name: string, value: string, extra: Partial<CookieRecord> = {}): CookieRecord {
  return { name, value, domain: 'localhost', path: '/', secure: false, httpOnly: name !== 'XSRF-TOKEN', hostOnly: true, ...extra };
}

export function sent(name: string, value: string, source: SentCookie['source'] = 'jar', overrodeJar?: boolean): SentCookie {
  return overrodeJar === undefined ? { name, value, source } : { name, value, source, overrodeJar };
}

export interface ExchangeSpec {
  readonly id?: string;
  readonly name?: string;
  readonly method?: string;
  /** Path or absolute URL. */
  readonly url: string;
  readonly at: number;
  readonly headers?: HeaderList;
  readonly bodySize?: number;
  readonly status: number;
  readonly responseHeaders?: HeaderList;
  readonly body?: string;
  /** Final URL when redirects were followed. */
  readonly finalUrl?: string;
  readonly sent?: readonly SentCookie[];
  readonly stored?: readonly CookieRecord[];
  readonly rejected?: readonly RejectedCookie[];
  readonly redirects?: readonly RedirectHop[];
  readonly sessionEvents?: readonly SessionCookieEvent[];
}

let counter = 0;

export function absolute(url: string): string {
  return url.startsWith('http') ? url : `${origin}${url}`;
}

/** An exchange as the session records it. */
export function exchange(spec: ExchangeSpec): Exchange {
  const setCookies: HeaderList = (spec.stored ?? []).map((stored) => [
    'Set-Cookie',
    `${stored.name}=${stored.value}; Path=${stored.path}${stored.httpOnly ? '; HttpOnly' : ''}`,
  ]);
  return {
    id: spec.id ?? `x${++counter}`,
    sessionName: 'default',
    startedAt: spec.at,
    request: { name: spec.name, method: spec.method ?? 'GET', url: absolute(spec.url), headers: spec.headers ?? [], bodySize: spec.bodySize ?? 0 },
    response: {
      status: spec.status,
      statusText: '',
      httpVersion: '1.1',
      headers: [...springHeaders, ...setCookies, ...(spec.responseHeaders ?? [])],
      body: new TextEncoder().encode(spec.body ?? ''),
      bodySize: (spec.body ?? '').length,
      truncated: false,
      url: absolute(spec.finalUrl ?? spec.url),
    },
    timings: { totalMs: 12 },
    connectionReused: true,
    cookies: { sent: spec.sent ?? [], stored: spec.stored ?? [], rejected: spec.rejected ?? [] },
    redirects: spec.redirects ?? [],
    sessionEvents: spec.sessionEvents ?? [],
    findings: [],
  };
}

/** A 3xx hop of a followed redirect chain. */
export function hop(method: string, url: string, status: number, location: string, sentCookies: readonly SentCookie[] = []): RedirectHop {
  return { method, url: absolute(url), status, location, cookies: { sent: sentCookies, stored: [], rejected: [] } };
}

/** Boot's 401 for an API client: Basic challenge, JSON error body. */
export function unauthorized(spec: Omit<ExchangeSpec, 'status'>): Exchange {
  return exchange({
    ...spec,
    status: 401,
    responseHeaders: [['WWW-Authenticate', 'Basic realm="Realm"'], ['Content-Type', 'application/json'], ...(spec.responseHeaders ?? [])],
    body: spec.body ?? bootError(401, 'Unauthorized', 'Full authentication is required to access this resource', new URL(absolute(spec.url)).pathname),
  });
}

/** Boot's 403 JSON error body. */
export function forbidden(spec: Omit<ExchangeSpec, 'status'>, message = 'Forbidden'): Exchange {
  return exchange({
    ...spec,
    status: 403,
    responseHeaders: [['Content-Type', 'application/json'], ...(spec.responseHeaders ?? [])],
    body: spec.body ?? bootError(403, 'Forbidden', message, new URL(absolute(spec.url)).pathname),
  });
}

/** `POST /login` with form credentials that Spring accepted: changeSessionId() gives a new JSESSIONID. */
export function login(at: number, jsessionid: string, extra: Partial<ExchangeSpec> = {}): Exchange {
  return exchange({
    name: 'login',
    method: 'POST',
    url: '/login',
    at,
    headers: [['Content-Type', 'application/x-www-form-urlencoded']],
    bodySize: 40,
    status: 302,
    responseHeaders: [['Location', `${origin}/`]],
    stored: [cookie('JSESSIONID', jsessionid)],
    ...extra,
  });
}

export function lifecycle(spec: Partial<SessionCookieLifecycle>): SessionCookieLifecycle {
  return { cookieName: 'JSESSIONID', domain: 'localhost', path: '/', events: [], ...spec };
}

/** A doctor context with the defaults a Spring user has. */
export function context(overrides: Partial<DoctorContext> = {}): DoctorContext {
  return {
    history: [],
    lifecycles: [],
    jar: [],
    sessionCookieNames: defaultSessionCookieNames,
    csrf: defaultCsrfNames,
    directives: {},
    loginRequestNames: ['login'],
    clock: { now: () => t0 + minutes(60) },
    ...overrides,
  };
}

/** An unsigned JWT with the given payload (the doctor never verifies signatures). */
export function jwt(payload: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

// Realistic token values (long enough that masking shows their ends).
export const sessionA = '5F2C7A1B9E0D44F3A8B6C1D2E3F40A1B';
export const sessionB = 'A90D3E77C2B14F6E9D8C7B6A5F4E3D2C';
export const sessionC = '0E1D2C3B4A5968778695A4B3C2D1E0F1';
export const xsrfOld = 'b1f7c0de-3a2e-4c55-9f1e-0c8f6f1d2a11';
export const xsrfNew = 'e4d2a9b8-77c1-4f0e-8a3b-5d6c7e8f9a00';

/** The finding with `id`, failing the test when it is absent. */
export function findingOf(findings: readonly Finding[], id: FindingId): Finding {
  const finding = findings.find((candidate) => candidate.id === id);
  if (!finding) throw new assert.AssertionError({ message: `no '${id}' finding among [${findings.map((f) => f.id).join(', ')}]` });
  return finding;
}

/** Asserts that some evidence line contains each of `parts`. */
export function assertEvidence(finding: Finding, parts: readonly string[]): void {
  for (const part of parts) {
    assert.ok(
      finding.evidence.some((line) => line.includes(part)),
      `evidence of '${finding.id}' lacks "${part}":\n  ${finding.evidence.join('\n  ')}`,
    );
  }
}

/** One recorded scenario and what the doctor must say about it. */
export interface DoctorCase {
  readonly name: string;
  readonly exchange: Exchange;
  readonly context: DoctorContext;
  /** Every finding id, most likely first. */
  readonly ids: readonly FindingId[];
  /** Checked on the finding `about` (default: the first). */
  readonly about?: FindingId;
  readonly message?: readonly string[];
  readonly evidence?: readonly string[];
  /** Substrings that must NOT appear in any evidence line (secrets). */
  readonly notInEvidence?: readonly string[];
  /** The expected fix action; `null` when the fix has only a title. */
  readonly action?: FixAction | null;
  readonly fixTitle?: string;
}

/** Runs a table of scenarios through diagnose(). */
export function runCases(cases: readonly DoctorCase[]): void {
  for (const scenario of cases) {
    test(scenario.name, () => {
      const findings = diagnose(scenario.exchange, scenario.context);
      assert.deepEqual(
        findings.map((finding) => finding.id),
        scenario.ids,
      );
      if (scenario.ids.length === 0) return;
      const finding = findingOf(findings, scenario.about ?? scenario.ids[0]!);
      for (const part of scenario.message ?? []) assert.ok(finding.message.includes(part), `message lacks "${part}": ${finding.message}`);
      assertEvidence(finding, scenario.evidence ?? []);
      for (const secret of scenario.notInEvidence ?? []) {
        assert.ok(!finding.evidence.some((line) => line.includes(secret)) && !finding.message.includes(secret), `'${secret}' leaked`);
      }
      if (scenario.action !== undefined) assert.deepEqual(finding.fix?.action, scenario.action ?? undefined);
      if (scenario.fixTitle !== undefined) assert.ok(finding.fix?.title.includes(scenario.fixTitle), `fix title lacks "${scenario.fixTitle}": ${finding.fix?.title}`);
    });
  }
}
