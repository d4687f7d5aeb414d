import { JSONPath } from 'jsonpath-plus';
import type { Exchange, HeaderList } from '../model/exchange';
import { isMaskedValue, isSecretName } from '../secrets';
import { extractFormFieldValue } from './formField';

export type ChainPart = 'response.body' | 'response.headers' | 'response.cookies' | 'response.csrf' | 'request.headers' | 'request.body';

/** `login.response.body.$.token` and friends: a value taken from an earlier exchange. */
export interface ChainReference {
  readonly request: string;
  readonly part: ChainPart;
  /** JSONPath / `*` for bodies, a header or cookie name; absent for `csrf`. */
  readonly selector?: string;
}

export type ChainResult =
  | { readonly ok: true; readonly value: string; readonly masked: boolean }
  | { readonly ok: false; readonly code: string; readonly message: string };

const chainPattern = /^([A-Za-z_][\w-]*)\.(response|request)\.([A-Za-z]+)(?:\.(.+))?$/s;

/** Recognises a chained reference; `undefined` when the expression is not one, `error` when it is one but malformed. */
export function parseChainReference(expression: string): ChainReference | { readonly error: string } | undefined {
  const match = chainPattern.exec(expression);
  if (!match) return undefined;
  const [, request = '', side = '', what = '', selector] = match;
  const part = `${side}.${what}`;
  switch (part) {
    case 'response.body':
    case 'request.body':
      // `login.response.body.token`, as users of both peers also write it, means `$.token`; `/…` is XPath.
      return { request, part, selector: selector === undefined ? '*' : /^[$*/]/.test(selector) ? selector : `$.${selector}` };
    case 'response.csrf':
      return selector === undefined ? { request, part } : { error: `'${expression}': csrf takes no selector` };
    case 'response.headers':
    case 'response.cookies':
    case 'request.headers':
      if (selector === undefined) return { error: `'${expression}': name the ${what.slice(0, -1)} (${part}.Name)` };
      // `login.response.cookies.token.value`, as real files write it: the cookie `token`, whose value is wanted anyway.
      return { request, part, selector: part === 'response.cookies' ? selector.replace(/(?<=.)\.value$/, '') : selector };
    default:
      return {
        error: `'${expression}': unsupported part '${part}' — use response.body, response.headers, response.cookies, response.csrf, request.headers or request.body`,
      };
  }
}

/** Reads a chained value out of the named request's latest exchange. */
export function resolveChain(reference: ChainReference, exchange: Exchange | undefined, csrfFieldName: string): ChainResult {
  const result = readChain(reference, exchange, csrfFieldName);
  if (result.ok && exchange?.redacted && isMaskedValue(result.value)) {
    return failure('chain-redacted', `Credentials of '${reference.request}' are not kept across a reload (it was stored with them masked) — send it again`);
  }
  return result;
}

function readChain(reference: ChainReference, exchange: Exchange | undefined, csrfFieldName: string): ChainResult {
  const name = reference.request;
  if (!exchange) return failure('chain-not-run', `Request '${name}' has not been run yet in this session — send it first`);
  if (reference.part === 'request.headers') return header(exchange.request.headers, reference.selector!, `the request '${name}'`);
  if (reference.part === 'request.body') {
    const { bodyText } = exchange.request;
    return bodyText === undefined
      ? failure('chain-no-match', `The body of request '${name}' was not recorded (it had none, or it was binary)`)
      : body(bodyText, reference.selector!, `the request body of '${name}'`);
  }
  const response = exchange.response;
  if (!response) {
    const why = exchange.error ? `: ${exchange.error.message}` : '';
    return failure('chain-no-response', `Request '${name}' got no response in this session${why} — send it again`);
  }
  switch (reference.part) {
    case 'response.headers':
      return header(response.headers, reference.selector!, `the response of '${name}'`);
    case 'response.cookies':
      return cookie(exchange, reference.selector!, name);
    case 'response.csrf': {
      const value = extractFormFieldValue(new TextDecoder().decode(response.body), csrfFieldName);
      return value === undefined
        ? failure('chain-no-match', `The response of '${name}' has no form field '${csrfFieldName}' (no <input name="${csrfFieldName}"> or <meta name="${csrfFieldName}">)`)
        : { ok: true, value, masked: false };
    }
    case 'response.body':
      return body(new TextDecoder().decode(response.body), reference.selector!, `the response body of '${name}'`);
  }
}

function body(text: string, selector: string, what: string): ChainResult {
  if (selector === '*') return { ok: true, value: text, masked: false };
  if (!selector.startsWith('$')) return failure('chain-selector', `'${selector}' is XPath, which is not supported — use a JSONPath such as $.path, or * for the whole body`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return failure('chain-not-json', `${capitalize(what)} is not JSON, so JSONPath '${selector}' cannot apply`);
  }
  let matches: unknown[];
  try {
    // eval: false — a path from a request file must not be able to run script filters.
    matches = JSONPath({ path: selector, json: json as object, wrap: true, eval: false }) as unknown[];
  } catch (error) {
    return failure('chain-selector', `Invalid JSONPath '${selector}': ${error instanceof Error ? error.message : String(error)}`);
  }
  if (matches.length === 0) return failure('chain-no-match', `JSONPath '${selector}' matched nothing in ${what}`);
  const [first] = matches;
  return { ok: true, value: typeof first === 'string' ? first : JSON.stringify(first), masked: false };
}

function header(headers: HeaderList, name: string, of: string): ChainResult {
  const lower = name.toLowerCase();
  const values = headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
  if (values.length === 0) return failure('chain-no-match', `There is no header '${name}' in ${of}`);
  return { ok: true, value: values.join(', '), masked: isSecretName(name) };
}

/** A cookie the response set: what the jar stored, else the raw Set-Cookie (e.g. with @no-cookie-jar or a rejected cookie). */
function cookie(exchange: Exchange, name: string, requestName: string): ChainResult {
  const stored = exchange.cookies.stored.findLast((record) => record.name === name);
  if (stored) return { ok: true, value: stored.value, masked: true };
  const fromHeader = (exchange.response?.headers ?? [])
    .filter(([key]) => key.toLowerCase() === 'set-cookie')
    .map(([, value]) => /^\s*([^=;]+)=([^;]*)/.exec(value))
    .findLast((match) => match?.[1]?.trim() === name);
  if (fromHeader) return { ok: true, value: fromHeader[2]!.trim(), masked: true };
  return failure('chain-no-match', `The response of '${requestName}' set no cookie '${name}'`);
}

function failure(code: string, message: string): ChainResult {
  return { ok: false, code, message };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
