// A request flow both clients can run: requests_flow.py (Debian's python3-requests, the reference
// requests.Session) and the engine's Session (see test/integration/springBoot/requestsParity.test.ts).
// Both summarise what they saw the same way.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A header or form value: literal, or taken from the client's state when the step is sent. */
export type FlowValue =
  | string
  /** The hidden input of that name in the last page that had one (Spring's masked `_csrf`). */
  | { readonly field: string }
  /** The jar's cookie of that name at Path=/. */
  | { readonly cookie: string }
  /** The newest value of that key among the JSON bodies so far (e.g. `/api/csrf`'s `token`). */
  | { readonly json: string };

export interface FlowRequest {
  /** What the step does, for messages. */
  readonly step: string;
  readonly method: 'GET' | 'POST';
  /** Appended to the base URL. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, FlowValue>>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, FlowValue>>;
  /** Sent as application/json. */
  readonly json?: unknown;
  /** The login: the session cookie at Path=/ is compared before and after it. */
  readonly login?: boolean;
}

export interface Flow {
  readonly base: string;
  /** JSESSIONID, or SESSION with Spring Session. */
  readonly sessionCookie: string;
  /** The name requests' `s.cookies[name]` is asked for at the end (CookieConflictError when ambiguous). */
  readonly conflictCookie: string;
  readonly requests: readonly FlowRequest[];
}

export interface FlowStep {
  readonly step: string;
  /** Status of the final response, after redirects were followed. */
  readonly status: number;
  /** Statuses of the redirect hops before it. */
  readonly redirects: readonly number[];
  /** `NAME PATH` of each cookie in the final request's Cookie header, in order. */
  readonly sent: readonly string[];
  /** `NAME PATH` of every cookie in the jar after the step, sorted. */
  readonly cookies: readonly string[];
  /** A 2xx JSON object body, its `token` replaced by `<token>`. */
  readonly body?: Record<string, unknown>;
}

export interface FlowSummary {
  readonly steps: readonly FlowStep[];
  /** The session cookie at Path=/ had a value before the login step and another one after it. */
  readonly rotatedAtLogin: boolean;
  /** requests: `s.cookies[conflictCookie]` raised CookieConflictError (two cookies of that name). */
  readonly conflict: boolean;
}

const script = fileURLToPath(new URL('requests_flow.py', import.meta.url));

/** The flow's summary as requests.Session saw it. */
export function runRequestsFlow(flow: Flow): Promise<FlowSummary> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/python3', [script], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`requests_flow.py failed: ${stderr || error.message}`, { cause: error }));
      else resolve(JSON.parse(stdout) as FlowSummary);
    });
    child.stdin?.end(JSON.stringify(flow));
  });
}
